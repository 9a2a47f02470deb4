package shared

import (
	"context"
	"time"
)

// An EvidenceStore is a Store that also sums the replicas' failure
// evidence for a breaker name, so that a dependency failing for the
// whole cluster opens every replica after about one threshold of
// failures in total, however the calls are spread over the replicas.
// A breaker whose Store is an EvidenceStore reports to it in the
// background; with a plain Store, only openings are shared.
type EvidenceStore interface {
	Store
	// Report adds e to key's evidence and, once it holds Threshold
	// failures in total from at least Quorum replicas, each reported
	// within Cooldown of the one before, opens key's record, unless it is
	// open already, publishing it as Publish does. It returns the record
	// and whether the evidence opened it.
	Report(ctx context.Context, key string, e Evidence) (rec Record, opened bool, err error)
}

// Evidence is what one replica saw of calls in the closed state since its
// last report.
type Evidence struct {
	// Reset says that a success ended a run of failures: it clears the
	// evidence of every replica, as it clears the local count, before
	// Failures are added.
	Reset bool
	// Failures is the number of failures since the last report, or since
	// the success of Reset.
	Failures  int
	Threshold int           // the replica's WithFailureThreshold
	Quorum    int           // WithQuorum; at least 1
	Cooldown  time.Duration // the cooldown of the opening, and how long evidence lasts
	Origin    string        // the replica
}

// evidenceState is what a sharer keeps of the failure evidence it has not
// reported; evidence is nil when the Store takes none. Guarded by the
// breaker's lock.
type evidenceState struct {
	evidence   EvidenceStore
	evReset    bool
	evFailures int
	evSending  bool
}

// OutcomeLocked takes the evidence of one outcome of the closed circuit,
// and starts sending it if it is not being sent. The breaker's lock is
// held; a Store that is not an EvidenceStore, or a breaker without a
// failure threshold, needs none.
func (sh *sharer) OutcomeLocked(failed bool) {
	if sh.evidence == nil || sh.b.Threshold() == 0 {
		return
	}
	if failed {
		sh.evFailures++
	} else {
		sh.evReset, sh.evFailures = true, 0
	}
	if !sh.evSending && !sh.degraded() {
		sh.evSending = true
		go sh.sendEvidence()
	}
}

// sendEvidence reports what the breaker saw until nothing is left to
// report, a batch at a time: what comes while a report is on its way goes
// in the next. It adopts the record an opening returns.
func (sh *sharer) sendEvidence() {
	b := sh.b
	for {
		b.Lock()
		e := Evidence{Reset: sh.evReset, Failures: sh.evFailures}
		if (!e.Reset && e.Failures == 0) || sh.degraded() {
			sh.evSending = false
			b.Unlock()
			return
		}
		sh.evReset, sh.evFailures = false, 0
		cooldown, _, _ := b.OpeningLocked()
		e.Threshold, e.Quorum, e.Cooldown, e.Origin = b.Threshold(), max(sh.quorum, 1), max(cooldown, b.Cooldown()), sh.hub.id
		b.Unlock()
		ctx, cancel := context.WithTimeout(sh.hub.ctx, storeTimeout)
		rec, opened, err := sh.evidence.Report(ctx, b.Name(), e)
		cancel()
		if err != nil {
			// Evidence is not replayed: the replicas still open on their
			// own counts, and the next failure reports again.
			b.Lock()
			sh.evSending = false
			b.Unlock()
			sh.fail()
			return
		}
		if rec.Repaired != "" {
			sh.logRepair(rec.Repaired)
		}
		if opened {
			sh.adopt(rec)
		}
	}
}
