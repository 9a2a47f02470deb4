package pathmsg

import "strings"

// Similar reports whether a and b differ only in case or by a few edits:
// whether a message that names a, which is not found, may suggest b.
func Similar(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	d := editDistance(strings.ToLower(a), strings.ToLower(b))
	return d <= max(1, min(len(a), len(b))/4)
}

// editDistance is the number of edits that turn a into b: inserting,
// deleting or replacing a byte, or swapping two adjacent ones.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
