// Package schema is the one declaration of the export's layout beyond the
// model's own JSON tags: which model field fills which CSV column, in
// which order, what each column and JSON key means, and which model
// fields the CSV tables leave out on purpose.
//
// The JSON keys, their order and their omitempty come from the struct
// tags in package analysis (they are what encoding/json writes); the
// precision of every number comes from its JSON key (export's keyPrec),
// in both files. From this declaration and those tags, `go generate
// ./internal/export` writes the fast funnel encoder
// (export/funnels_gen.go), the CSV headers and rows
// (export/csv_gen.go) and the field tables of docs/export.md;
// TestGeneratedFilesAreCurrent fails when any of them is stale, and the
// generator fails when a model field is in neither a CSV column nor an
// Omit list.
//
// Adding a field to analysis.Funnel, Transition, Duration or KPI: give it
// a json tag; add a column here (or name it in the table's Omit); add a
// JSON note below if its meaning is not obvious from the column's doc;
// if its key is new, give it a precision in export/rounding.go's
// keyPrec (rates are 6 significant digits by default); run go generate
// ./internal/export.
package schema

// Column is one CSV column.
type Column struct {
	// Name is the header; "" means the field's JSON key.
	Name string
	// Field is the model field, as Type.Field of package analysis
	// ("Transition.Rate", "Duration.N"); for the steps table, a Funnel
	// list field is read at the step's index.
	Field string
	// When is a Go condition on the row's variables (t: Transition,
	// d: Duration, k: KPI, x: Metric, f: Funnel) under which the cell is
	// written; otherwise it is empty. An integer field tagged omitempty
	// is empty when zero without one.
	When string
}

// Group is columns documented together: one row of the docs table.
type Group struct {
	Cols []Column
	Doc  string // Markdown
}

// Table is one CSV table.
type Table struct {
	Name string // steps, transitions or metrics: also what a row is one of
	Path string // the site path
	// Key is the docs row of the key columns after period and segment
	// (their names and values are fixed by the table's kind).
	Key Group
	// Groups are the value columns, in order.
	Groups []Group
	// Omit names the fields of the row's types (Type.Field) that the
	// table leaves out on purpose, with no column.
	Omit []string
}

// Tables lists the CSV tables in the order they are written.
var Tables = []Table{
	{
		Name: "steps", Path: "data/funnel-steps.csv",
		Key: Group{Cols: []Column{{Name: "step"}}, Doc: "the step id"},
		Groups: []Group{
			{Cols: []Column{{Name: "count", Field: "Funnel.Counts"}}, Doc: "`c_i`"},
			{Cols: []Column{{Name: "prev", Field: "Funnel.PrevCounts"}}, Doc: "the previous period's count, same segment"},
			{Cols: []Column{{Name: "change_rel", Field: "Funnel.CountChange"}}, Doc: "`c_i / prev − 1`"},
		},
		Omit: []string{"Funnel.Period", "Funnel.SegmentKey", "Funnel.Transitions", "Funnel.Metrics", "Funnel.KPIs", "Funnel.Durations",
			"Funnel.Revenue", "Funnel.RevenueChange", "Funnel.StageConversions"},
	},
	{
		Name: "transitions", Path: "data/funnel-transitions.csv",
		Key: Group{Cols: []Column{{Name: "from"}, {Name: "to"}}, Doc: "the step ids of the transition"},
		Groups: []Group{
			{Cols: cols("Transition.Rate", "Transition.Cumulative", "Transition.Drop", "Transition.Low", "Transition.High"),
				Doc: "`r_i`, `R_i`, `d_i`, the Wilson 95% bounds of `r_i`"},
			{Cols: cols("Transition.Open"), Doc: "`true` for `c_i > c_{i−1}`"},
			{Cols: cols("Transition.Small"), Doc: "`true` when `c_{i−1}` is under `min_sample`: never ranked or tested"},
			{Cols: cols("Transition.Tested", "Transition.Window", "Transition.TestedLow", "Transition.TestedHigh", "Transition.TestedPrev", "Transition.TestedChangePP"),
				Doc: "the rate every reference, test and claim rests on and pages cite beside them — `r^W` within `tested_window_days` days for records and events, else `r_i` — its Wilson 95% bounds, the previous period's, and the change in points"},
			{Cols: cols("Transition.Ref", "Transition.RefSource"),
				Doc: "the reference rate and where it came from (`target`, `previous` — pooled previous periods, `best` — the best previous period, `segments` — the other segments, or empty)"},
			{Cols: cols("Transition.RefN", "Transition.RefPeriods"),
				Doc: "the cases a sampled reference rests on, and how many previous periods were pooled"},
			{Cols: cols("Transition.Phi"), Doc: "φ = max(1, Pearson χ²/(k−1)) of the pooled previous periods"},
			{Cols: cols("Transition.Gap", "Transition.GapLow", "Transition.GapHigh"), Doc: "`r* − r` and its 95% interval"},
			{Cols: cols("Transition.Gain", "Transition.Extra", "Transition.GainValue", "Transition.GainValueLow", "Transition.GainValueHigh"),
				Doc: "bottleneck numbers (README, \"Numbers\"); money at the ends of the gap's interval, downstream rates taken as given"},
			{Cols: cols("Transition.PBelow", "Transition.PBelowAdjusted", "Transition.Confident", "Transition.FarBelow"),
				Doc: "the one-sided test of `r < r*` (mid-p binomial against a target, else two-proportion with φ), its Benjamini–Hochberg adjustment in the period's family, whether it survives, and whether the rate is also under half the reference"},
			{Cols: cols("Transition.Prev", "Transition.ChangePP", "Transition.ChangeRel", "Transition.PValue"),
				Doc: "against the previous period: its rate, the change in points (a fraction), relative change `(r − prev) / prev`, the two-sided two-proportion test (descriptive)"},
			{Cols: cols("Transition.PFall", "Transition.PFallAdjusted", "Transition.Fell"),
				Doc: "the one-sided test of a fall with φ, its adjustment, and a sharp drop (≥ 10% relative, surviving)"},
			{Cols: cols("Transition.Provisional"), Doc: "a cohort still maturing: never tested"},
			{Cols: cols("Transition.CumulativeChangePP"), Doc: "`R_i` minus the previous period's `R_i`"},
			{Cols: cols("Transition.Detectable"), Doc: "the smallest fall (a fraction) these volumes could tell from noise in the period's family"},
			{Cols: cols("Transition.Others", "Transition.VsOthers", "Transition.Loss", "Transition.Shrunk"),
				Doc: "the rate of the other segments of the dimension, the tested rate minus it, this segment's loss against it, and its empirical-Bayes rate (the ranking)"},
			{Cols: cols("Transition.PSegment", "Transition.PSegmentAdjusted", "Transition.SegmentConfident"),
				Doc: "the one-sided test of the segment against the other segments, its adjustment, whether it survives"},
			{Cols: []Column{{Name: "days_source", Field: "Duration.Source"}},
				Doc: "where the durations come from: `records`, `metric`, or empty (none known; the other `days_` columns are empty too)"},
			{Cols: []Column{{Name: "days_n", Field: "Duration.N", When: `d.Source != ""`}}, Doc: "leads measured (0 for a snapshot metric)"},
			{Cols: []Column{{Name: "median_days", Field: "Duration.Median"}, {Name: "p90_days", Field: "Duration.P90"}, {Field: "Duration.OverShare"}},
				Doc: "median and p90 days to convert, the share of the conversions within the horizon that took over `max_days` (p90 and share from records only; from records, quantiles of the Aalen–Johansen estimate, see README \"Time to convert\")"},
			{Cols: []Column{{Name: "days_reference", Field: "Duration.Ref"}, {Name: "days_reference_source", Field: "Duration.RefSource"}},
				Doc: "the reference days (`max_days` or `previous`)"},
			{Cols: []Column{{Name: "excess_days", Field: "Duration.Excess"}, {Name: "delay_load", Field: "Duration.Load"}},
				Doc: "median minus reference, and the client-days lost"},
			{Cols: []Column{{Name: "days_lost", Field: "Duration.Lost", When: "d.Source == analysis.FromRecords"}, {Name: "days_open", Field: "Duration.Open", When: "d.Source == analysis.FromRecords"}},
				Doc: "leads that reached the from-step and were lost (a competing event), or are still open (censored), in the estimate (records only)"},
			{Cols: []Column{{Name: "min_days", Field: "Duration.Min"}, {Name: "q1_days", Field: "Duration.Q1"}, {Name: "q3_days", Field: "Duration.Q3"}},
				Doc: "the first conversion day and the 25th and 75th percentiles of the estimate (the box plot)"},
			{Cols: cols("Duration.Beyond", "Duration.Horizon"),
				Doc: "nobody converted within the horizon H (`horizon_days`, default 365): every quantile is \"> H\" and its cell empty; H itself"},
			{Cols: cols("Duration.Window", "Duration.WindowN", "Duration.WindowK", "Duration.WindowRate", "Duration.WindowProvisional"),
				Doc: "the conversion window W; of the `window_n` leads that reached the from-step, `window_k` converted within W days: the windowed rate r^W; the cohort is younger than W"},
			{Cols: []Column{{Name: "days_p_value", Field: "Duration.PValue"}, {Field: "Duration.Slower"}, {Name: "days_p_adjusted", Field: "Duration.PAdjusted"}},
				Doc: "the one-sided test that this period converts slower than its reference (Mann–Whitney against the pooled previous periods, sign test against `max_days`); it survived the period's Benjamini–Hochberg family (all segments only: claims are made there); its adjusted p-value"},
		},
		Omit: []string{"Transition.From", "Transition.To", "Duration.From", "Duration.To", "Duration.Curve"},
	},
	{
		Name: "metrics", Path: "data/funnel-metrics.csv",
		Key: Group{Cols: []Column{{Name: "metric"}}, Doc: "the metric id"},
		Groups: []Group{
			{Cols: cols("KPI.Value", "KPI.Target"), Doc: "the metric's value and its configured target"},
			{Cols: cols("KPI.Status"), Doc: "the KPI status: `ok`, `warn`, `bad`, or empty (no target or no value)"},
			{Cols: cols("KPI.Prev", "KPI.Change", "KPI.ChangeRel"),
				Doc: "the previous period's value, `value − prev`, and `(value − prev) / \\|prev\\|` (so NPS −10 → −5 is `0.5`)"},
		},
		Omit: []string{"KPI.Metric"},
	},
}

func cols(fields ...string) []Column {
	out := make([]Column, len(fields))
	for i, f := range fields {
		out[i] = Column{Field: f}
	}
	return out
}

// JSONNotes explains JSON keys in the docs' field tables, by path: the
// keys from the top of the document, a list's elements as "[]".
var JSONNotes = map[string]string{
	"schema":                                         "changes only when a field is renamed or removed",
	"segments":                                       "every segment key, `all` first",
	"model.periods":                                  "chronological",
	"model.latest":                                   "the latest period",
	"model.provenance":                               "what the snapshot was built from",
	"model.provenance.data_as_of":                    "the latest period (`--period P`: P); every page footer says it too",
	"model.provenance.funnel_version":                "as `funnel version` prints it (`devel+<commit>` for a dev build)",
	"model.provenance.config":                        "`null` without a funnel.yaml",
	"model.provenance.inputs":                        "every file under data/ and every file source, by path",
	"model.provenance.chains":                        "ClickHouse `windowFunnel` counts of sources with `chain_window_days`; absent otherwise",
	"model.provenance.chains[].leads":                "leads that went from step 1 through each of `steps` within one window",
	"model.stages[].from":                            "the step the conversion through the stage starts from: the step before its first, or step 0 when it opens the funnel; -1 when no step is in the stage",
	"model.stages[].to":                              "the stage's last step; `from` = `to`: only the first step, no conversion",
	"model.dimension_names":                          "the configured display name of each dimension",
	"model.funnels":                                  "period-major, then segments in `segments` order",
	"model.funnels[].counts":                         "`c_0 … c_n`, one per model step",
	"model.funnels[].prev_counts":                    "the previous period's counts",
	"model.funnels[].count_change":                   "`c / prev − 1`",
	"model.funnels[].revenue":                        "outcomes (`outcome_step`) × this funnel's own average deal value; the home page's revenue",
	"model.funnels[].revenue_change":                 "`revenue / prev − 1`",
	"model.funnels[].metrics":                        "a value per model metric",
	"model.funnels[].stage_conversions":              "one per model stage: the conversion through it, `c_to / c_from` (the stage's `from` and `to`); the home page's stage cards",
	"model.funnels[].stage_conversions[].status":     "the stage's transitions against their references: `ok`, `warn` (a gap within noise), `bad` (a confirmed gap), or absent",
	"model.funnels[].transitions[].reference_source": "`target`, `previous`, `best`, `segments`, or absent",
	"model.funnels[].kpis[].metric":                  "an index into `model.metrics`",
	"model.funnels[].kpis[].status":                  "`ok`, `warn`, `bad`, or absent",
	"model.funnels[].durations[].source":             "`records`, `metric`, or absent",
	"model.funnels[].durations[].curve":              "all-segment funnels only",
	"model.funnels[].durations[].reference_source":   "`max_days`, `previous`, or absent",
	"model.outcome_step":                             "the step money gains are counted in",
	"model.deal_value_metric":                        "an index into `metrics`, or -1",
	"model.diagnoses":                                "one per period, in `periods` order",
	"model.diagnoses[].tests":                        "the period's Benjamini–Hochberg family",
	"model.diagnoses[].untested":                     "`period_by: event`: claims are descriptive",
	"model.holes":                                    "series-wide holes",
	"model.horizon_days":                             "H of time to convert",
	"model.windows":                                  "W per transition",
	"model.windows[].source":                         "`window_days`, `estimate`, or absent",
	"model.folds":                                    "per dimension with more than 6 segments: the rest beyond its 6 largest (first-step count in the latest period), pooled — the \"other (N)\" line of the trends page",
	"model.folds[].top":                              "the 6 largest values, largest first",
	"model.folds[].rest":                             "the values pooled",
	"model.folds[].periods":                          "one per period, in `periods` order",
	"model.folds[].periods[].entered":                "the first step's count summed over the pooled segments whose first and last counts are known",
	"model.folds[].periods[].converted":              "their last step's count summed",
	"model.folds[].periods[].rate":                   "`converted / entered`: pooled from the counts, never an average of rates",
	"findings":                                       "the findings as sentences in the site language",
}
