package config

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// LostStatus is the status target (records) or event-step mapping
// (events) that marks a lead as lost: it reaches no further step, and its
// loss is a competing event for time to convert. A step of that id, if
// the config has one, takes precedence.
const LostStatus = "lost"

// Granularities a records source may aggregate to.
var Granularities = []string{"month", "quarter", "week", "year"}

// checkRecords validates a records or events source and fills its
// defaults (period_by, granularity, join id, value metric), a part of the
// mapping at a time, in the order of the docs.
func (c *Config) checkRecords(s *Source) error {
	if s.Kind == "events" && s.Records == nil {
		s.Records = &Records{} // every default: id, step, timestamp columns
	}
	if done, err := checkRecordsKind(s); done || err != nil {
		return err
	}
	r := s.Records
	if err := r.checkPeriods(); err != nil {
		return err
	}
	steps, err := c.RecordSteps(s.Kind, r)
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	if len(c.Steps) > 0 {
		for _, st := range r.Steps {
			if c.StepIndex(st.Step) < 0 {
				return fmt.Errorf("records: step %q is not among the steps of %s", st.Step, c.orFile())
			}
		}
	}
	if err := c.checkStatus(s.Kind, r, steps); err != nil {
		return err
	}
	if err := r.checkJoin(); err != nil {
		return err
	}
	return c.checkValue(r)
}

// checkRecordsKind checks what the source's kind asks of its records:
// mapping; done for a snapshot, which has none.
func checkRecordsKind(s *Source) (done bool, err error) {
	r := s.Records
	switch s.Kind {
	case "snapshot":
		if r != nil {
			return true, errors.New("records: only for kind records or events")
		}
		return true, nil
	case "records":
		if r == nil {
			return true, errors.New("kind records needs a records: mapping (steps and/or status_column)")
		}
		if len(r.Steps) == 0 && r.StatusColumn == "" {
			return true, errors.New("records: map steps to date columns (steps:) or a status column (status_column:)")
		}
		if r.StatusColumn != "" && len(r.Status) == 0 {
			return true, errors.New("records: status_column needs status: value → step")
		}
	case "events":
		for _, st := range r.Steps {
			if st.Column != "" {
				return true, fmt.Errorf("records: step %q: an event log has no date column per step (write %s: ~ to order steps)", st.Step, st.Step)
			}
		}
	}
	return false, nil
}

// checkPeriods fills and checks period_by and granularity.
func (r *Records) checkPeriods() error {
	switch r.PeriodBy {
	case "":
		r.PeriodBy = "cohort"
	case "cohort", "event":
	default:
		return fmt.Errorf("records: period_by %q: want cohort or event", r.PeriodBy)
	}
	if r.Granularity == "" {
		r.Granularity = "month"
	} else if !slices.Contains(Granularities, r.Granularity) {
		return fmt.Errorf("records: granularity %q: want %s", r.Granularity, strings.Join(Granularities, ", "))
	}
	return nil
}

// checkStatus checks that every status maps to a counted step or to
// lost, and that lost_date has lost leads to date.
func (c *Config) checkStatus(kind string, r *Records, steps []string) error {
	lostMapped := false
	for _, v := range sortedKeys(r.Status) {
		to := r.Status[v]
		if c.IsLost(to, steps) {
			lostMapped = true
			continue
		}
		if to != "" && !slices.Contains(steps, to) {
			return fmt.Errorf("records: status %q maps to step %q, which is not in records steps (list it there, with ~ if it has no date column)", v, to)
		}
	}
	if r.LostDate == "" {
		return nil
	}
	if kind != "records" {
		return errors.New("records: lost_date is for kind records (in an event log a lost event dates itself: map it with status: {its name: lost})")
	}
	if !lostMapped {
		return fmt.Errorf("records: lost_date %q dates lost leads, but no status maps to lost (status: {Lost: lost})", r.LostDate)
	}
	return nil
}

// checkJoin checks a joined file's mapping and fills its id column.
func (r *Records) checkJoin() error {
	if r.Join == nil {
		return nil
	}
	if r.Join.Path == "" {
		return errors.New("records: join needs a path")
	}
	if r.ID == "" {
		return errors.New("records: join needs the id column (id:)")
	}
	if r.Join.ID == "" {
		r.Join.ID = r.ID
	}
	return nil
}

// checkValue fills the metric a value column feeds and checks it exists.
func (c *Config) checkValue(r *Records) error {
	if r.Value == "" {
		return nil
	}
	if r.ValueMetric == "" {
		r.ValueMetric = c.DealValue
	}
	if r.ValueMetric == "" {
		r.ValueMetric = "deal_value"
	}
	if c.Metric(r.ValueMetric) == nil {
		return fmt.Errorf("records: value %q feeds metric %q: declare it under metrics: with unit money", r.Value, r.ValueMetric)
	}
	return nil
}

// RecordSteps returns the steps a records or events source counts, in
// funnel order: the config's steps when it lists any (those the source
// maps, or all of them for an event log), else the order of records steps.
func (c *Config) RecordSteps(kind string, r *Records) ([]string, error) {
	mapped := map[string]bool{}
	var own []string
	if r != nil {
		for _, st := range r.Steps {
			mapped[st.Step] = true
			own = append(own, st.Step)
		}
		for _, to := range r.Status {
			if to != "" && (to != LostStatus || c.StepIndex(to) >= 0) {
				mapped[to] = true
			}
		}
	}
	if len(c.Steps) > 0 {
		var out []string
		for _, s := range c.Steps {
			if mapped[s.ID] || (kind == "events" && len(own) == 0) {
				out = append(out, s.ID)
			}
		}
		return out, nil
	}
	if len(own) == 0 {
		if kind == "events" {
			return nil, errors.New("an event log needs the step order: list steps in the config (steps:) or under records steps: (step: ~)")
		}
	}
	return own, nil
}

// IsLost reports whether a status target means "lost" rather than a step
// (steps: the steps of the source).
func (c *Config) IsLost(to string, steps []string) bool {
	return to == LostStatus && !slices.Contains(steps, to) && c.StepIndex(to) < 0
}

func (c *Config) orFile() string {
	if c.File == "" {
		return "the config"
	}
	return c.File
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
