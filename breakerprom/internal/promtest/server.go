package promtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Options configure Start. The zero Options are the defaults.
type Options struct {
	// ScrapeInterval is the scrape_interval (and scrape_timeout) of the
	// target; 500ms if zero.
	ScrapeInterval time.Duration
	// Features are passed to --enable-feature. Prometheus 2.42 logs and
	// ignores a name it does not know.
	Features []string
	// Wait bounds Start's wait for the first scrape and WaitFor's polling;
	// 30s if zero.
	Wait time.Duration
}

// A Prometheus is a prometheus server that a test started, scraping one
// target that the test serves. It stops, by its PID, when the test ends.
type Prometheus struct {
	// URL is the base URL of the server's HTTP API: http://127.0.0.1:port.
	URL string
	// Target is the host:port it scrapes, at /metrics.
	Target string
	// PID is the server's process ID.
	PID int

	opts   Options
	client *http.Client
	log    string // path of the server's log

	mu      sync.Mutex
	scrapes int
	accept  string
}

// Start serves h at /metrics on a free loopback port, and starts a
// prometheus server on another that scrapes it every opts.ScrapeInterval.
// It returns once the server is ready and has scraped h successfully once.
func Start(t testing.TB, h http.Handler, opts Options) *Prometheus {
	t.Helper()
	bin := Binary(t, "prometheus")
	if opts.ScrapeInterval == 0 {
		opts.ScrapeInterval = 500 * time.Millisecond
	}
	if opts.Wait == 0 {
		opts.Wait = 30 * time.Second
	}
	p := &Prometheus{opts: opts, client: &http.Client{Timeout: 10 * time.Second}}
	mux := http.NewServeMux()
	mux.Handle("/metrics", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.scrapes++
		p.accept = r.Header.Get("Accept")
		p.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	target := httptest.NewServer(mux) // listens on 127.0.0.1:0
	t.Cleanup(target.Close)
	p.Target = strings.TrimPrefix(target.URL, "http://")

	dir := t.TempDir()
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte(p.config()), 0o644); err != nil {
		t.Fatalf("write the prometheus config: %v", err)
	}
	p.log = filepath.Join(dir, "prometheus.log")
	// A free port can be taken between choosing it and prometheus binding
	// it: try another one then.
	for attempt := 1; ; attempt++ {
		err := p.start(t, bin, dir, config)
		if err == nil {
			break
		}
		if attempt == 3 || !errors.Is(err, errAddrInUse) {
			t.Fatalf("start prometheus: %v\n%s", err, p.Log())
		}
	}
	p.waitForTarget(t)
	return p
}

func (p *Prometheus) config() string {
	return fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
scrape_configs:
  - job_name: breakerprom
    metrics_path: /metrics
    static_configs:
      - targets: [%[2]q]
`, p.opts.ScrapeInterval, p.Target)
}

var errAddrInUse = errors.New("the port was taken")

// start runs prometheus on a free port and waits until /-/ready answers
// 200; it stops the process, by PID, when the test ends.
func (p *Prometheus) start(t testing.TB, bin, dir, config string) error {
	t.Helper()
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	logf, err := os.Create(p.log)
	if err != nil {
		return err
	}
	defer logf.Close()
	args := []string{
		"--config.file=" + config,
		"--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + addr,
		"--log.level=warn",
	}
	if len(p.opts.Features) > 0 {
		args = append(args, "--enable-feature="+strings.Join(p.opts.Features, ","))
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}
	p.URL, p.PID = "http://"+addr, cmd.Process.Pid
	return p.waitReady(t, addr, cmd, exited, stop)
}

// waitReady waits until the server started answers 200 at /-/ready, and
// then has stop run when the test ends; if the server exits first or is
// not ready within Options.Wait, it returns why.
func (p *Prometheus) waitReady(t testing.TB, addr string, cmd *exec.Cmd, exited <-chan struct{}, stop func()) error {
	deadline := time.Now().Add(p.opts.Wait)
	for {
		select {
		case <-exited:
			if bytes.Contains([]byte(p.Log()), []byte("address already in use")) {
				return errAddrInUse
			}
			return fmt.Errorf("prometheus exited: %v", cmd.ProcessState)
		default:
		}
		resp, err := p.client.Get(p.URL + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Cleanup(func() {
					stop()
					if t.Failed() {
						t.Logf("prometheus log:\n%s", p.Log())
					}
				})
				return nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return fmt.Errorf("prometheus at %s not ready after %v", addr, p.opts.Wait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Log returns what the server has logged so far.
func (p *Prometheus) Log() string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(b)
}

// Scrapes returns how many scrapes of the target have begun, and the
// Accept header of the last one: the formats Prometheus negotiates.
func (p *Prometheus) Scrapes() (n int, accept string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.scrapes, p.accept
}
