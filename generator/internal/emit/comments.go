package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// article is "an" before a vowel sound we can guess, "a" otherwise.
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an"
	}
	return "a"
}

// docf adds a doc comment, wrapped at about 76 columns; a blank line in
// the text separates paragraphs.
func docf(f *jen.File, format string, args ...any) {
	f.Comment(wrapComment(fmt.Sprintf(format, args...), 76))
}

// wrapComment formats text as // lines no longer than width where the
// words allow it.
func wrapComment(text string, width int) string {
	var paras []string
	for para := range strings.SplitSeq(text, "\n\n") {
		var b strings.Builder
		line := "//"
		for _, w := range strings.Fields(para) {
			if len(line) > 2 && len(line)+1+len(w) > width {
				b.WriteString(line + "\n")
				line = "//"
			}
			line += " " + w
		}
		b.WriteString(line)
		paras = append(paras, b.String())
	}
	return strings.Join(paras, "\n//\n")
}
