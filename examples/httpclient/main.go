// Httpclient guards an HTTP client with a wrapper generated with
// -per-method: Doer's Get and Do each get their own circuit breaker, so a
// failing endpoint fetched with Get does not stop health checks sent with Do.
//
// A local test server answers 503 to the first three report requests, then
// recovers. Three failed Gets open the "http/Get" circuit; while it is open,
// Get is rejected without a request while Do still reaches the server; after
// the cooldown one probe succeeds and closes the circuit.
//
//	go generate ./examples/... && go run ./examples/httpclient
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	srv := newServer(3)
	defer srv.Close()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{} // the story reads better without wall-clock times
			}
			return a
		},
	}))
	sc := scenario{URL: srv.URL, Client: srv.Client(), Cooldown: 300 * time.Millisecond, Reports: 3, Logger: logger}
	if _, err := run(ctx, sc); err != nil {
		logger.Error("stopped", "err", err)
		os.Exit(1)
	}
}

// server is a local HTTP server whose /report endpoint fails at first.
type server struct {
	*httptest.Server
	reports atomic.Int64 // requests received on /report
	health  atomic.Int64 // requests received on /health
}

// newServer starts a server on loopback whose first failFirst /report
// requests get 503 Service Unavailable.
func newServer(failFirst int64) *server {
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /report", func(w http.ResponseWriter, r *http.Request) {
		n := s.reports.Add(1)
		if n <= failFirst {
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "report #%d", n)
	})
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		s.health.Add(1)
		fmt.Fprint(w, "ok")
	})
	s.Server = httptest.NewServer(mux)
	return s
}

// scenario is what a run can vary; tests bring a fake clock.
type scenario struct {
	URL      string
	Client   *http.Client
	Cooldown time.Duration
	Reports  int // how many reports to fetch
	Logger   *slog.Logger
	// Sleep waits for d or until ctx is done; nil means a real timer.
	Sleep   func(ctx context.Context, d time.Duration) error
	Options []runtime.Option
}

// run fetches sc.Reports reports through the guarded client and logs the
// stats of both breakers at the end.
func run(ctx context.Context, sc scenario) (*runtime.Set, error) {
	log := sc.Logger
	opts := append([]runtime.Option{
		runtime.WithFailureThreshold(3),
		runtime.WithCooldown(sc.Cooldown),
		runtime.WithLogger(log),
	}, sc.Options...)
	client := NewDoerBreaker(Checked{Client: sc.Client}, runtime.NewSet("http", runtime.WithBreakerOptions(opts...)))
	sleep := sc.Sleep
	if sleep == nil {
		sleep = wait
	}

	for got := 0; got < sc.Reports; {
		body, err := fetch(client, sc.URL+"/report")
		var open *runtime.CircuitBreakerError
		switch {
		case err == nil:
			got++
			log.Info("report fetched with Get", "body", body)
		case errors.As(err, &open):
			log.Info("Get rejected: no request sent", "err", err, "retry_after", open.RetryAfter().Round(time.Millisecond))
			// Do has a breaker of its own, still closed: the server is
			// reachable, only its report endpoint is failing.
			body, err := health(ctx, client, sc.URL+"/health")
			log.Info("health checked with Do", "body", body, "err", err)
			if err := sleep(ctx, open.RetryAfter()); err != nil {
				return client.Breakers(), err
			}
		default:
			log.Warn("Get failed", "err", err)
		}
		if err := ctx.Err(); err != nil {
			return client.Breakers(), err
		}
	}

	for _, b := range client.Breakers().All() {
		log.Info("breaker stats", "breaker", b.Name(), "stats", b.Stats())
	}
	return client.Breakers(), nil
}

// fetch gets url with Get and returns the body.
func fetch(d Doer, url string) (string, error) {
	resp, err := d.Get(url)
	if err != nil {
		return "", err
	}
	return readBody(resp)
}

// health gets url with Do and returns the body.
func health(ctx context.Context, d Doer, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := d.Do(req)
	if err != nil {
		return "", err
	}
	return readBody(resp)
}

func readBody(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return strings.TrimSpace(string(b)), err
}

// wait waits for d or until ctx is done, whichever comes first.
func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
