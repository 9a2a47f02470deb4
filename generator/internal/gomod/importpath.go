package gomod

import "strings"

// AssumedName is the package name a reader assumes from an import path:
// its last element, or the one before a major version suffix.
func AssumedName(path string) string {
	elems := strings.Split(path, "/")
	if n := len(elems); n > 1 && IsMajorVersion(elems[n-1]) {
		return elems[n-2]
	}
	return elems[len(elems)-1]
}

// IsMajorVersion reports whether a path element is a major version suffix:
// v2, v3...
func IsMajorVersion(elem string) bool {
	return len(elem) > 1 && elem[0] == 'v' && elem[1] != '0' && strings.Trim(elem[1:], "0123456789") == ""
}
