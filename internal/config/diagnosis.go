package config

import "fmt"

// Diagnosis holds the statistical settings of the diagnosis (docs/design.md §3):
// which reference a rate is held against, how small a sample is too small
// to rank or test, and the false discovery rate of the claims.
//
//	diagnosis:
//	  reference: pooled   # or best: the best previous period, labelled
//	  lookback: 4         # k, the previous comparable periods pooled
//	  min_sample: 30      # cases at the from-step below which a rate is not ranked or tested
//	  fdr: 0.05           # q of the Benjamini–Hochberg family of one period
type Diagnosis struct {
	Reference string  `yaml:"reference"`
	Lookback  int     `yaml:"lookback"`
	MinSample float64 `yaml:"min_sample"`
	FDR       float64 `yaml:"fdr"`
}

// Diagnosis defaults.
const (
	ReferencePooled  = "pooled"
	ReferenceBest    = "best"
	DefaultLookback  = 4
	DefaultMinSample = 30
	DefaultFDR       = 0.05
)

// normalize fills the defaults and checks the ranges.
func (d *Diagnosis) normalize() error {
	switch d.Reference {
	case "":
		d.Reference = ReferencePooled
	case ReferencePooled, ReferenceBest:
	default:
		return fmt.Errorf("diagnosis: reference %q: want pooled or best", d.Reference)
	}
	switch {
	case d.Lookback == 0:
		d.Lookback = DefaultLookback
	case d.Lookback < 1:
		return fmt.Errorf("diagnosis: lookback %d: want at least 1 period", d.Lookback)
	}
	switch {
	case d.MinSample == 0:
		d.MinSample = DefaultMinSample
	case d.MinSample < 1:
		return fmt.Errorf("diagnosis: min_sample %g: want at least 1 case", d.MinSample)
	}
	switch {
	case d.FDR == 0:
		d.FDR = DefaultFDR
	case d.FDR < 0 || d.FDR >= 1:
		return fmt.Errorf("diagnosis: fdr %g: want a rate between 0 and 1, such as 0.05", d.FDR)
	}
	return nil
}

// EventPeriods reports whether some source periods its rows by event
// date: a lead then counts in several periods, so period samples are not
// independent and claims are descriptive, untested.
func (c *Config) EventPeriods() bool {
	for _, s := range c.Sources {
		if (s.Kind == "records" || s.Kind == "events") && s.Records != nil && s.Records.PeriodBy == "event" {
			return true
		}
	}
	return false
}
