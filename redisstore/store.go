package redisstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// Options configure a Store.
type Options struct {
	// Prefix starts every key and the channel of this Store, so several
	// services, or several sets of breakers, can share one Redis. Every
	// replica of a service must use the same Prefix. Required. On Redis
	// Cluster, a Prefix whose first '{' is followed by '}' would give
	// every key an empty hash tag: the scripts would fail (CROSSSLOT).
	Prefix string
	// Replica names this process in the changes it publishes, and so in
	// the other replicas' logs. The default is built from the host name
	// and the process id.
	Replica string
	// RecordTTL is how long a breaker's record outlives its latest change
	// (and an opening's cooldown). The default is 24h. The record of a
	// forced opening (ForceOpen) has none: it lasts until Reset.
	RecordTTL time.Duration
	// PingEvery is how long the subscription may stay silent before it is
	// checked with a PING; the default is 1s. A PING unanswered within
	// the deadline of a store operation ends the subscription.
	PingEvery time.Duration
}

// channel ends the name of the channel a Store publishes changes on. Its
// number is that of the messages' format: replicas of another format do
// not hear each other's changes as they happen (they still share the
// records, read at their next sync).
const channel = "breakers:2"

// DefaultRecordTTL is the default of Options.RecordTTL.
const DefaultRecordTTL = 24 * time.Hour

// A Store is a shared.Store on Redis. It is safe for concurrent use;
// one Store serves every breaker of a process.
type Store struct {
	client  redis.UniversalClient
	prefix  string
	channel string
	replica string
	ttl     time.Duration
	ping    time.Duration

	ctx    context.Context // canceled by Close
	cancel context.CancelFunc
	once   sync.Once
}

var _ shared.EvidenceStore = (*Store)(nil)

// New returns a Store using client, which it does not close. It fails if
// client is nil, Prefix is empty, or a duration is negative.
func New(client redis.UniversalClient, opts Options) (*Store, error) {
	switch {
	case client == nil || isNilPointer(client):
		return nil, errors.New("redisstore.New: nil client: pass a connected redis.UniversalClient, such as redis.NewClient(&redis.Options{Addr: \"localhost:6379\"})")
	case opts.Prefix == "":
		return nil, errors.New("redisstore.New: empty Options.Prefix: name the keys of this service's breakers, such as \"coordinator\"; every replica uses the same one")
	case opts.RecordTTL < 0 || opts.PingEvery < 0:
		return nil, fmt.Errorf("redisstore.New: negative duration in Options (RecordTTL %v, PingEvery %v): leave it zero for the default", opts.RecordTTL, opts.PingEvery)
	}
	s := &Store{
		client:  client,
		prefix:  opts.Prefix,
		channel: opts.Prefix + ":" + channel,
		replica: opts.Replica,
		ttl:     opts.RecordTTL,
		ping:    opts.PingEvery,
	}
	if s.ttl == 0 {
		s.ttl = DefaultRecordTTL
	}
	if s.ping == 0 {
		s.ping = time.Second
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// Close stops the Store's subscription; its breakers work locally from
// then on. It does not close the client. It always returns nil.
func (s *Store) Close() error {
	s.once.Do(s.cancel)
	return nil
}

// Replica returns Options.Replica.
func (s *Store) Replica() string { return s.replica }

// key returns the key of kind of the breaker named name. Its hash tag
// (what Redis Cluster hashes: from the first '{' to the first '}' after
// it) is the name, so that a breaker's keys share one slot. An empty tag
// counts as none, and Redis Cluster would hash each whole key to a slot
// of its own; so a name that is empty or starts with '}' is written after
// "}{!", which gives a tag, and keys no other name has.
func (s *Store) key(name, kind string) string {
	if name == "" || name[0] == '}' {
		return s.prefix + ":}{!" + name + "}:" + kind
	}
	return s.prefix + ":{" + name + "}:" + kind
}

func (s *Store) closed() bool { return s.ctx.Err() != nil }

// Load returns the record of the breaker named name.
func (s *Store) Load(ctx context.Context, name string) (shared.Record, error) {
	if s.closed() {
		return shared.Record{}, shared.ErrStoreClosed
	}
	rec, _, err := s.run(ctx, loadScript, []string{s.key(name, "state")})
	if err != nil {
		return rec, fmt.Errorf("redisstore: load %s: %w", name, err)
	}
	return rec, nil
}

// Publish applies c to the record of the breaker named name.
func (s *Store) Publish(ctx context.Context, name string, c shared.Change) (shared.Record, bool, error) {
	if s.closed() {
		return shared.Record{}, false, shared.ErrStoreClosed
	}
	rec, changed, err := s.run(ctx, publishScript,
		[]string{s.key(name, "state"), s.key(name, "votes")},
		flag(c.Quorum > 0), flag(!c.Unconditional), strconv.FormatUint(c.Base, 10),
		stateName(c.State), flag(c.Forced), max(c.Cooldown.Milliseconds(), 1), c.Reopens, c.Origin,
		c.Quorum, s.ttl.Milliseconds(), s.channel, name)
	if err != nil {
		return rec, false, fmt.Errorf("redisstore: publish %s %s: %w", name, stateName(c.State), err)
	}
	return rec, changed, nil
}

// Acquire takes the probe lease of the breaker named name.
func (s *Store) Acquire(ctx context.Context, name string, gen uint64, holder string, ttl time.Duration) (shared.Record, bool, error) {
	if s.closed() {
		return shared.Record{}, false, shared.ErrStoreClosed
	}
	rec, granted, err := s.run(ctx, acquireScript,
		[]string{s.key(name, "state"), s.key(name, "lease")},
		strconv.FormatUint(gen, 10), holder, max(ttl.Milliseconds(), 1))
	if err != nil {
		return rec, false, fmt.Errorf("redisstore: acquire the probe lease of %s: %w", name, err)
	}
	return rec, granted, nil
}

// Report adds e to the failure evidence of the breaker named name.
func (s *Store) Report(ctx context.Context, name string, e shared.Evidence) (shared.Record, bool, error) {
	if s.closed() {
		return shared.Record{}, false, shared.ErrStoreClosed
	}
	rec, opened, err := s.run(ctx, reportScript,
		[]string{s.key(name, "state"), s.key(name, "fails")},
		flag(e.Reset), e.Failures, e.Threshold, max(e.Quorum, 1), max(e.Cooldown.Milliseconds(), 1), e.Origin,
		s.ttl.Milliseconds(), s.channel, name)
	if err != nil {
		return rec, false, fmt.Errorf("redisstore: report the failures of %s: %w", name, err)
	}
	return rec, opened, nil
}

// run runs a script and decodes its reply.
func (s *Store) run(ctx context.Context, script *redis.Script, keys []string, args ...any) (shared.Record, bool, error) {
	v, err := script.Run(ctx, s.client, keys, args...).Slice()
	if err != nil {
		return shared.Record{}, false, err
	}
	if len(v) != 10 {
		return shared.Record{}, false, fmt.Errorf("script replied %d values, want 10", len(v))
	}
	flag, _ := v[7].(int64)
	rec, err := decode(v[:7])
	rec.Repaired, _ = v[8].(string)
	lease, _ := v[9].(int64)
	rec.LeaseRemaining = time.Duration(lease) * time.Millisecond
	return rec, flag == 1, err
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func stateName(s runtime.State) string {
	if s == runtime.Open {
		return "open"
	}
	return "closed"
}
