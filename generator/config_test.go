package generator

import (
	"errors"
	"testing"
)

func TestBuildExpr(t *testing.T) {
	for _, tt := range []struct {
		tags []string
		want string
		err  string
	}{
		{nil, "", ""},
		{[]string{"pro"}, "pro", ""},
		{[]string{"pro", "linux", "go1.26"}, "pro && linux && go1.26", ""},
		{[]string{"a-b"}, "", `-tags: "a-b" is not a build tag: a tag is made of letters, digits, _ and .`},
		{[]string{"!pro"}, "", `-tags: "!pro" is not a build tag: a tag is made of letters, digits, _ and .`},
		{[]string{"pro linux"}, "", `-tags: "pro linux" is not a build tag: separate tags with commas, as in -tags=pro,linux`},
		{[]string{"pro linux", "x"}, "", `-tags: "pro linux" is not a build tag: separate tags with commas, as in -tags=pro,linux,x`},
		{[]string{"a-b c"}, "", `-tags: "a-b c" is not a build tag: a tag is made of letters, digits, _ and .`},
	} {
		got, err := buildExpr(tt.tags)
		if tt.err != "" {
			var usage *UsageError
			if err == nil || err.Error() != tt.err || !errors.As(err, &usage) {
				t.Errorf("%q: error %v, want usage error %q", tt.tags, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.tags, got, err, tt.want)
		}
	}
}
