package sources

// EventAggregate is an event log reduced, inside the database, to what
// the funnel model needs; only this crosses the network in push-down
// mode. Each id is a lead: its entry is the earliest time of any
// configured step, its furthest step the latest in funnel order it
// reached, and its segment values those of its earliest event with a
// non-empty value (ties: the smallest value). Times are read at whole
// hours (DurationResolution), in UTC, as the in-process events path
// reads them.
type EventAggregate struct {
	Steps []string // funnel order
	Dims  []string // segment columns, in tuple order
	// Leads counts leads per entry cohort × segment tuple × furthest step.
	Leads []LeadCell
	// Durations counts the leads per transition (step i-1 → i) and
	// duration: converted leads with both steps dated, and open leads
	// (reached step i-1, not yet i or later) with the time from step i-1
	// to the end of the data, for cumulative incidence with censoring.
	Durations []DurationCell
	// Misdated counts, per step i, the leads that reached step i before
	// step i-1 (their duration is left out), with one example id.
	Misdated []MisdatedCell
	// Chain is windowFunnel's count (chain_window_days): leads per cohort
	// and tuple by the length of the chain from step 1 within one window.
	Chain []LeadCell
	// Events is how many rows the table holds (every event read).
	Events int64
	// Latest is the latest step time, Unix seconds at a whole hour.
	Latest int64
}

// DurationResolution is the resolution of times in an event log, in
// seconds: durations are whole hours in both paths.
const DurationResolution = 3600

// LeadCell is one group of leads. Cohort is the first day of the entry
// period, in days since 1970-01-01 (UTC).
type LeadCell struct {
	Cohort   int64
	Tuple    []string
	Furthest int // step index; for Chain, the windowFunnel level (0…len(Steps))
	Leads    int64
}

// DurationCell is the leads of one cohort and tuple that took Hours
// from step Step-1 to step Step (or, when Open, have been waiting that
// long at step Step-1 by the end of the data).
type DurationCell struct {
	Cohort int64
	Tuple  []string
	Step   int
	Hours  int64
	Open   bool
	Leads  int64
}

// MisdatedCell counts leads whose step Step is dated before step Step-1.
type MisdatedCell struct {
	Step    int
	Leads   int64
	Example string // one such id
}

// PushDown says what to compute from an event table.
type PushDown struct {
	Table           string
	ID, Step, Time  string   // columns
	Steps           []string // step values, in funnel order
	Dims            []string // segment columns
	Granularity     string   // month, quarter, week or year: cohorts
	ChainWindowDays float64  // > 0: also windowFunnel over this window
}
