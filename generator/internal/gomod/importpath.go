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
	return len(elem) > 1 && elem[0] == 'v' && isDigits(elem[1:]) && elem[1] != '0'
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
