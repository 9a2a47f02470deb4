package redisstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// decode makes a Record of reply()'s first seven fields.
func decode(v []any) (shared.Record, error) {
	str := func(i int) string { s, _ := v[i].(string); return s }
	num := func(i int) int64 {
		switch n := v[i].(type) {
		case int64:
			return n
		case float64: // from JSON
			return int64(n)
		}
		return 0
	}
	gen, err := strconv.ParseUint(str(2), 10, 64)
	if err != nil {
		return shared.Record{}, fmt.Errorf("bad generation %q: %w", str(2), err)
	}
	if gen == 0 {
		return shared.Record{}, nil
	}
	rec := shared.Record{
		Gen:       gen,
		State:     runtime.Closed,
		Forced:    str(1) == "1",
		Remaining: time.Duration(num(3)) * time.Millisecond,
		Cooldown:  time.Duration(num(4)) * time.Millisecond,
		Reopens:   int(num(5)),
		Origin:    str(6),
	}
	switch str(0) {
	case "open":
		rec.State = runtime.Open
	case "closed":
	default:
		return shared.Record{}, fmt.Errorf("bad state %q", str(0))
	}
	return rec, nil
}

// decodeMessage decodes a published record: a JSON array of reply()'s
// first seven fields, a newline and the breaker's name, any bytes.
func decodeMessage(payload string) (string, shared.Record, error) {
	fields, name, ok := strings.Cut(payload, "\n")
	var v []any
	if !ok || json.Unmarshal([]byte(fields), &v) != nil || len(v) != 7 {
		return "", shared.Record{}, fmt.Errorf("bad message %q", payload)
	}
	rec, err := decode(v)
	if err != nil {
		return "", rec, fmt.Errorf("bad message %q: %w", payload, err)
	}
	return name, rec, nil
}
