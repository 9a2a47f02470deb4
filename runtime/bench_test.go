package runtime

import (
	"errors"
	"testing"
	"time"
)

var sink int

//go:noinline
func work(i int) (int, error) { return i, nil }

func BenchmarkAllowDone(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		cb := New("bench")
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p, err := cb.Allow()
			if err != nil {
				b.Fatal(err)
			}
			v, err := work(i)
			p.Done(err)
			sink += v
		}
	})
	b.Run("deferred", func(b *testing.B) {
		cb := New("bench")
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			v, _ := guarded(cb, i)
			sink += v
		}
	})
	b.Run("parallel", func(b *testing.B) {
		cb := New("bench")
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				v, _ := guarded(cb, i)
				i += v
			}
		})
	})
}

// guarded is the shape of a generated method.
func guarded(cb *Breaker, i int) (int, error) {
	p, err := cb.Allow()
	if err != nil {
		return 0, err
	}
	defer p.Release()
	v, err := work(i)
	p.Done(err)
	return v, err
}

func BenchmarkReject(b *testing.B) {
	var now time.Time
	cb := New("bench", WithClock(func() time.Time { return now }))
	cb.ForceOpen()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := guarded(cb, i); !errors.Is(err, ErrOpen) {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := guarded(cb, 0); err == nil {
					b.Fatal("admitted")
				}
			}
		})
	})
}

func BenchmarkDirect(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, _ := work(i)
		sink += v
	}
}
