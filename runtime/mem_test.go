package runtime

import (
	"runtime"
	"strconv"
	"testing"
)

// memKeys is the number of keys BenchmarkSetMemory holds live: enough that
// the Set's own fixed cost disappears in the division, few enough for a
// shared machine. Run it with -benchtime=1x.
const memKeys = 100_000

// BenchmarkSetMemory reports the heap a Set holds per live key (B/key):
// the breaker, its name, the Set's entry and map node, measured as the
// growth of HeapAlloc after a GC while memKeys keys are live. The key
// strings are made beforehand, so they are not counted: the caller holds
// them anyway. "idle" keys were only created; "used" keys also saw one
// success and one failure.
func BenchmarkSetMemory(b *testing.B) {
	keys := make([]string, memKeys)
	for i := range keys {
		keys[i] = "agent-" + strconv.Itoa(i)
	}
	for _, used := range []bool{false, true} {
		name := "idle"
		if used {
			name = "used"
		}
		b.Run(name, func(b *testing.B) {
			var perKey float64
			for range b.N {
				perKey = setBytesPerKey(keys, used)
			}
			b.ReportMetric(perKey, "B/key")
		})
	}
}

// setBytesPerKey fills a Set with keys, calling each key's breaker once if
// used, and returns the heap it grew by per key.
func setBytesPerKey(keys []string, used bool) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := NewSet("agents")
	for _, k := range keys {
		cb := s.Get(k)
		if used {
			p, _ := cb.Allow()
			p.Done(nil)
			p, _ = cb.Allow()
			p.Done(errBoom)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(s)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(len(keys))
}
