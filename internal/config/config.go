// Package config loads a report project's funnel.yaml, fills in the defaults
// (the six B2B journey stages) and validates it. Unknown keys are errors that
// name their line, so a typo never silently turns into a default.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/funnel-report/funnel/internal/errpos"
)

// FileName is the config file looked up at the project root.
const FileName = "funnel.yaml"

// Config is the whole project configuration.
type Config struct {
	Title    string `yaml:"title"`
	Language string `yaml:"language"` // "ru" or "en"
	Theme    string `yaml:"theme"`
	BaseURL  string `yaml:"base_url"`
	// Currency is printed after money amounts ("₽", "$", "EUR").
	Currency string `yaml:"currency"`
	// DealValue names the money metric holding the average value of one
	// final outcome (a deal); bottleneck gains are then also shown in money.
	DealValue string `yaml:"deal_value"`
	// Client and Logo (a project image file) go on the PDF's cover.
	Client string `yaml:"client"`
	Logo   string `yaml:"logo"`
	// Prerender draws every chart to SVG at build time (funnel build
	// --prerender), so pages show their charts with JavaScript off.
	Prerender bool `yaml:"prerender"`

	Markdown Markdown `yaml:"markdown"`
	Stages   []Stage  `yaml:"stages"`
	Steps    []Step   `yaml:"steps"`
	Metrics  []Metric `yaml:"metrics"`
	// Segments lists the segment dimensions (CSV columns) in display order.
	// Empty: every column that is not period/metric/value/stage/note.
	Segments []string `yaml:"segments"`
	// SegmentNames are display names of segment dimensions (column →
	// name), e.g. manager: "Менеджер"; unnamed ones use the built-in
	// labels (channel, region, …) or the column name.
	SegmentNames map[string]string `yaml:"segment_names"`
	Sources      []Source          `yaml:"sources"`
	// Diagnosis holds the statistics settings: reference, lookback,
	// min_sample and fdr (see diagnosis.go).
	Diagnosis Diagnosis `yaml:"diagnosis"`

	// HorizonDays is H of time to convert (records and events): quantiles
	// are shares of the conversions within H days (default 365).
	HorizonDays *float64 `yaml:"horizon_days"`
	// Counted names what the funnel counts, in plural forms (one, few,
	// many: 1 сделка, 2 сделки, 5 сделок); default: clients.
	Counted *Counted `yaml:"counted"`
	// Scope lists the journey stages the funnel covers; stages outside it
	// are not holes. Empty: every stage.
	Scope []string `yaml:"scope"`

	// File is where the config was read from ("" for defaults).
	File string `yaml:"-"`

	node *yaml.Node // the parsed text, for positions in errors
}

// Markdown holds commentary options.
type Markdown struct {
	// UnsafeHTML lets raw HTML in Markdown through. Off by default: commentary
	// is user text and must not be able to inject script.
	UnsafeHTML bool `yaml:"unsafe_html"`
}

// Stage is one journey stage.
type Stage struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	Goal string `yaml:"goal"`
}

// Step is a countable funnel milestone; steps are ordered.
type Step struct {
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	Stage string `yaml:"stage"`
	// Target is the wanted conversion from the previous step (a fraction).
	Target *Ratio `yaml:"target"`
	// MaxDays is the longest acceptable time from the previous step.
	MaxDays *float64 `yaml:"max_days"`
	// WindowDays is W, the conversion window of the transition into this
	// step: rates compared period over period count conversions within W
	// days. Default: the p90 time to convert over the data, in whole weeks.
	WindowDays *float64 `yaml:"window_days"`
}

// Metric is any other number attached to a stage.
type Metric struct {
	ID        string   `yaml:"id"`
	Name      string   `yaml:"name"`
	Stage     string   `yaml:"stage"`
	Unit      string   `yaml:"unit"`
	Target    *float64 `yaml:"target"`
	Direction string   `yaml:"direction"` // "higher" (default) or "lower"
	// DurationOf names a step: the metric is the median days from the
	// previous step to it (drawn-out stages from snapshots).
	DurationOf string `yaml:"duration_of"`
}

// Source is one input file or glob under the project.
type Source struct {
	Path string `yaml:"path"`
	Kind string `yaml:"kind"` // "snapshot" (default), "records", "events"
	// Records holds the mapping for kind "records" and "events".
	Records *Records `yaml:"records"`
	// Encoding: "" (detected: UTF-8, else Windows-1251), "utf-8" or
	// "windows-1251" (also "cp1251").
	Encoding string `yaml:"encoding"`
	// Delimiter overrides sniffing: ",", ";", "|" or "\t" (tab).
	Delimiter string `yaml:"delimiter"`
	// Name labels the source in errors ("source NAME row N") and in
	// check; the default is the path, or the driver and the source's place.
	Name string `yaml:"name"`
	// Workbook options of .xlsx paths and the database options of
	// driver sources (sources.go).
	Workbook `yaml:",inline"`
	Database `yaml:",inline"`
}

// Records maps a lead- or deal-level export (kind "records") or an event
// log (kind "events") to funnel steps.
type Records struct {
	// ID names the lead id column; needed by a join and by event logs.
	ID string `yaml:"id"`
	// Steps maps step id → the column holding the date the step was
	// reached (empty = not reached), in funnel order. A step may map to no
	// column ("" or ~) to give its place in the order to a status.
	Steps StepColumns `yaml:"steps"`
	// StatusColumn holds a status whose values Status maps to the furthest
	// step reached; a value mapped to "" drops the row (spam, tests). A
	// status caps the row: a date column dates a step only for rows whose
	// status reaches it. A value mapped to "lost" (LostStatus) marks a lead
	// lost before the last step: a competing event for time to convert.
	StatusColumn string            `yaml:"status_column"`
	Status       map[string]string `yaml:"status"`
	// LostDate names the column dating a loss (often the close date that
	// also dates the last step for won rows).
	LostDate string `yaml:"lost_date"`
	// Date names the entry-date column when the first step has no date
	// column (a status-only export).
	Date     string   `yaml:"date"`
	Segments []string `yaml:"segments"`
	// Value names the deal-amount column; ValueMetric the money metric that
	// receives the mean amount of leads that reached the last step
	// (default: deal_value of the config, else "deal_value").
	Value       string `yaml:"value"`
	ValueMetric string `yaml:"value_metric"`
	// PeriodBy: "cohort" (entry date, default) or "event" (each step in the
	// period of its own date).
	PeriodBy    string `yaml:"period_by"`
	Granularity string `yaml:"granularity"` // month (default), quarter, week, year
	// DateFormat such as "DD.MM.YYYY" or "M/D/YYYY"; "" detects it.
	DateFormat string `yaml:"date_format"`
	// DateRange [from, to] (YYYY-MM-DD) bounds the dates accepted; without
	// it a date more than ten years from its column's median is an error.
	DateRange []string `yaml:"date_range"`
	// Join reads a second file and joins it on an id column.
	Join *Join `yaml:"join"`
	// Event log columns (kind "events"); defaults "step" and "timestamp".
	StepColumn string `yaml:"step_column"`
	TimeColumn string `yaml:"time_column"`
}

// StepColumn is one entry of Records.Steps.
type StepColumn struct {
	Step   string
	Column string
}

// StepColumns is a YAML mapping step → column that keeps its order (the
// funnel order when the config lists no steps).
type StepColumns []StepColumn

// UnmarshalYAML reads a mapping in document order.
func (s *StepColumns) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return errpos.New("", n.Line, n.Column, "steps: want a mapping step: date column")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return errpos.New("", v.Line, v.Column, "step %q: want a column name", k.Value)
		}
		if seen[k.Value] {
			return errpos.New("", k.Line, k.Column, "step %q listed twice", k.Value)
		}
		seen[k.Value] = true
		col := v.Value
		if v.Tag == "!!null" {
			col = ""
		}
		*s = append(*s, StepColumn{Step: k.Value, Column: col})
	}
	return nil
}

// Join is a second record file joined to the first on an id column. The
// joined file is held in memory, the main one is streamed: put the larger
// file (leads) under path and the smaller (closed deals) here.
type Join struct {
	Path string `yaml:"path"`
	// ID is the id column of the joined file (default: Records.ID).
	ID string `yaml:"id"`
}

// Counted names what a funnel counts, with the plural forms a count needs:
// one (1, 21 сделка), few (2–4, 22 сделки), many (5, 11 сделок). English
// uses one and many.
type Counted struct {
	One  string `yaml:"one"`
	Few  string `yaml:"few"`
	Many string `yaml:"many"`
}

// checkWords validates horizon_days, counted and scope.
func (c *Config) checkWords(stages map[string]bool) error {
	if h := c.HorizonDays; h != nil && !(*h > 0 && !math.IsInf(*h, 0)) {
		return fmt.Errorf("horizon_days must be a positive number of days, not %v", *h)
	}
	if w := c.Counted; w != nil {
		if w.One == "" || w.Many == "" {
			return errors.New("counted: give at least one and many (e.g. {one: deal, many: deals}; Russian also few: {one: сделка, few: сделки, many: сделок})")
		}
		if w.Few == "" {
			w.Few = w.Many
		}
	}
	seen := map[string]bool{}
	for _, id := range c.Scope {
		if !stages[id] {
			return fmt.Errorf("scope: unknown stage %q", id)
		}
		if seen[id] {
			return fmt.Errorf("scope: stage %q listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// InScope reports whether the funnel covers a journey stage (scope:
// lists it, or there is no scope).
func (c *Config) InScope(stage string) bool {
	return len(c.Scope) == 0 || slices.Contains(c.Scope, stage)
}

// Horizon is H in days: horizon_days, else 365.
func (c *Config) Horizon() float64 {
	if c.HorizonDays != nil {
		return *c.HorizonDays
	}
	return 365
}

// Ratio is a fraction read from YAML as 0.3 or "30%".
type Ratio float64

// UnmarshalYAML accepts 0.3, "0.3" and "30%"; a bare number above 1 is
// rejected because it is ambiguous (30 means 30% or 3000%?).
func (r *Ratio) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	pct := strings.HasSuffix(s, "%")
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return errpos.New("", n.Line, n.Column, "%q is not a ratio (write 0.3 or \"30%%\")", n.Value)
	}
	if pct {
		v /= 100
	}
	if !(v >= 0 && v <= 1) { // also rejects NaN
		return errpos.New("", n.Line, n.Column, "ratio %q outside 0..1 (write 0.3 or \"30%%\")", n.Value)
	}
	*r = Ratio(v)
	return nil
}

// Units a metric may have.
var Units = []string{"count", "percent", "ratio", "days", "hours", "money", "score5", "nps", "number"}

// DefaultStages are the six stages of a B2B customer journey.
func DefaultStages(lang string) []Stage {
	ru := lang == "ru"
	pick := func(r, e string) string {
		if ru {
			return r
		}
		return e
	}
	return []Stage{
		{ID: "awareness", Name: pick("Осведомлённость", "Awareness"), Goal: pick("Клиент узнаёт о нас", "The client learns we exist")},
		{ID: "consideration", Name: pick("Рассмотрение", "Consideration"), Goal: pick("Клиент изучает варианты", "The client studies options")},
		{ID: "decision", Name: pick("Решение / Выбор", "Decision"), Goal: pick("Клиент выбирает поставщика", "The client picks a supplier")},
		{ID: "purchase", Name: pick("Покупка / Внедрение", "Purchase / Implementation"), Goal: pick("Сделка исполнена: поставка, монтаж, обучение", "The deal is executed: delivery, installation, training")},
		{ID: "loyalty", Name: pick("Использование / Лояльность", "Usage / Loyalty"), Goal: pick("Клиент пользуется продуктом и остаётся", "The client uses the product and stays")},
		{ID: "advocacy", Name: pick("Рекомендации", "Advocacy"), Goal: pick("Клиент рекомендует нас", "The client recommends us")},
	}
}

// Load reads funnel.yaml from the project directory. A missing file gives
// the defaults; a malformed one gives an error naming file and line.
func Load(dir string) (*Config, error) {
	path := filepath.Join(dir, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		c := &Config{}
		return c, c.normalize()
	}
	if err != nil {
		return nil, err
	}
	c, err := Parse(FileName, data)
	if err != nil {
		return nil, err
	}
	return c, nil
}

var unknownRe = regexp.MustCompile(`field (\S+) not found in type config\.(\w+)`)

// Parse decodes config text. name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	c := &Config{File: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, data, err)
	}
	// The same text again as a node tree: it knows where every value is,
	// for errors about meaning (an unknown stage, a bad max_days), and
	// whether a second document follows the first.
	var doc, extra yaml.Node
	nodes := yaml.NewDecoder(bytes.NewReader(data))
	if err := nodes.Decode(&doc); err == nil {
		c.node = &doc
		if err := nodes.Decode(&extra); err == nil {
			return nil, errpos.New(name, extra.Line, extra.Column, "a second YAML document (after ---) would be ignored: funnel.yaml holds one document")
		}
	}
	if err := c.normalize(); err != nil {
		return nil, c.errorAt(err)
	}
	return c, nil
}

// fieldError is an error about the value at path (mapping keys and
// sequence indexes from the top of funnel.yaml).
type fieldError struct {
	path []any
	err  error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

func at(err error, path ...any) error { return &fieldError{path, err} }

// errorAt places err at the position of the value it is about
// (file:line:column), else at the file.
func (c *Config) errorAt(err error) error {
	var fe *fieldError
	if errors.As(err, &fe) {
		if line, col := c.Position(fe.path...); line > 0 {
			return &errpos.Error{File: c.File, Line: line, Col: col, Err: err}
		}
	}
	return &errpos.Error{File: c.File, Err: err}
}

// At is "funnel.yaml:line:column" of the value at path (e.g. "steps", 2,
// "stage"), or of the nearest enclosing value found; just the file name
// when there is no file.
func (c *Config) At(path ...any) string {
	if line, col := c.Position(path...); line > 0 {
		return fmt.Sprintf("%s:%d:%d", c.orFile(), line, col)
	}
	return c.orFile()
}

// Position finds the line and column of the value at path, or of the
// deepest value on the way to it; 0, 0 without a file.
func (c *Config) Position(path ...any) (int, int) {
	if c.node == nil || len(c.node.Content) == 0 {
		return 0, 0
	}
	n := c.node.Content[0]
	line, col := n.Line, n.Column
	for _, step := range path {
		var next *yaml.Node
		switch k := step.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						next = n.Content[i+1]
						line, col = n.Content[i].Line, n.Content[i].Column
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
			}
		}
		if next == nil {
			break
		}
		n = next
		// A scalar, a flow collection or a list item is where it starts;
		// a block mapping or list is better named by its key.
		if _, item := step.(int); item || n.Kind == yaml.ScalarNode || n.Style&yaml.FlowStyle != 0 {
			line, col = n.Line, n.Column
		}
	}
	return line, col
}

// stageIDs lists the stage ids, for messages.
func (c *Config) stageIDs() string {
	ids := make([]string, len(c.Stages))
	for i, s := range c.Stages {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

// yamlError places yaml.v3's messages (errpos.YAML), naming an unknown
// key by its section.
func yamlError(name string, data []byte, err error) error {
	return errpos.YAML(name, data, 1, err, func(msg string) string {
		if u := unknownRe.FindStringSubmatch(msg); u != nil {
			return fmt.Sprintf("unknown key %q in %s", u[1], strings.ToLower(u[2]))
		}
		return msg
	})
}

// normalize fills defaults and checks references between sections, a
// section at a time, in the order of the file; the first problem stops it.
func (c *Config) normalize() error {
	if err := c.normalizeSite(); err != nil {
		return err
	}
	if err := c.Diagnosis.normalize(); err != nil {
		return err
	}
	stages, err := c.normalizeStages()
	if err != nil {
		return err
	}
	ids := map[string]string{} // step and metric ids → "step" or "metric"
	if err := c.normalizeSteps(stages, ids); err != nil {
		return err
	}
	if err := c.checkWords(stages); err != nil {
		return err
	}
	if err := c.normalizeMetrics(stages, ids); err != nil {
		return err
	}
	if len(c.Segments) > 0 {
		for dim := range c.SegmentNames {
			if !slices.Contains(c.Segments, dim) {
				return at(fmt.Errorf("segment_names names %q, which is not among segments: %s", dim, strings.Join(c.Segments, ", ")), "segment_names", dim)
			}
		}
	}
	if c.DealValue != "" && ids[c.DealValue] != "metric" {
		return at(fmt.Errorf("deal_value names unknown metric %q", c.DealValue), "deal_value")
	}
	return c.normalizeSources()
}

// normalizeSite fills the language, theme, title and stages a file may
// leave out.
func (c *Config) normalizeSite() error {
	if c.Language == "" {
		c.Language = "ru"
	}
	if c.Language != "ru" && c.Language != "en" {
		return at(fmt.Errorf("language %q: want ru or en", c.Language), "language")
	}
	if c.Theme == "" {
		c.Theme = "default"
	}
	if c.Title == "" {
		if c.Language == "ru" {
			c.Title = "Воронка клиентского пути"
		} else {
			c.Title = "Customer journey funnel"
		}
	}
	if len(c.Stages) == 0 {
		c.Stages = DefaultStages(c.Language)
	}
	return nil
}

// normalizeStages checks the stage ids and returns them as a set.
func (c *Config) normalizeStages() (map[string]bool, error) {
	stages := map[string]bool{}
	for i, s := range c.Stages {
		if s.ID == "" {
			return nil, at(fmt.Errorf("stage %d has no id", i+1), "stages", i)
		}
		if stages[s.ID] {
			return nil, at(fmt.Errorf("stage %q defined twice", s.ID), "stages", i, "id")
		}
		stages[s.ID] = true
		if s.Name == "" {
			c.Stages[i].Name = s.ID
		}
	}
	return stages, nil
}

// normalizeSteps checks the steps against the stages and records their
// ids in ids.
func (c *Config) normalizeSteps(stages map[string]bool, ids map[string]string) error {
	for i, s := range c.Steps {
		if s.ID == "" {
			return at(fmt.Errorf("step %d has no id", i+1), "steps", i)
		}
		if prev, ok := ids[s.ID]; ok {
			return at(fmt.Errorf("step %q: id already used by a %s", s.ID, prev), "steps", i, "id")
		}
		ids[s.ID] = "step"
		if s.Stage != "" && !stages[s.Stage] {
			return at(fmt.Errorf("step %q: unknown stage %q (stages: %s)", s.ID, s.Stage, c.stageIDs()), "steps", i, "stage")
		}
		if s.Name == "" {
			c.Steps[i].Name = s.ID
		}
		if s.MaxDays != nil && !(*s.MaxDays >= 0 && !math.IsInf(*s.MaxDays, 0)) {
			return at(fmt.Errorf("step %q: max_days must be a number of days, not %v", s.ID, *s.MaxDays), "steps", i, "max_days")
		}
		if s.WindowDays != nil && !(*s.WindowDays > 0 && !math.IsInf(*s.WindowDays, 0)) {
			return at(fmt.Errorf("step %q: window_days must be a positive number of days, not %v", s.ID, *s.WindowDays), "steps", i, "window_days")
		}
	}
	return nil
}

// normalizeMetrics checks the metrics against the stages and steps, fills
// their unit and direction, and records their ids in ids.
func (c *Config) normalizeMetrics(stages map[string]bool, ids map[string]string) error {
	durationOf := map[string]string{} // step → the metric holding its median days
	for i, m := range c.Metrics {
		if m.ID == "" {
			return at(fmt.Errorf("metric %d has no id", i+1), "metrics", i)
		}
		if prev, ok := ids[m.ID]; ok {
			return at(fmt.Errorf("metric %q: id already used by a %s", m.ID, prev), "metrics", i, "id")
		}
		ids[m.ID] = "metric"
		if m.Stage != "" && !stages[m.Stage] {
			return at(fmt.Errorf("metric %q: unknown stage %q (stages: %s)", m.ID, m.Stage, c.stageIDs()), "metrics", i, "stage")
		}
		if m.Name == "" {
			c.Metrics[i].Name = m.ID
		}
		if err := c.normalizeMetricValue(i); err != nil {
			return err
		}
		if m.DurationOf == "" {
			continue
		}
		if ids[m.DurationOf] != "step" {
			return at(fmt.Errorf("metric %q: duration_of names unknown step %q", m.ID, m.DurationOf), "metrics", i, "duration_of")
		}
		if other, dup := durationOf[m.DurationOf]; dup {
			return at(fmt.Errorf("metric %q: step %q already has its duration in metric %q", m.ID, m.DurationOf, other), "metrics", i, "duration_of")
		}
		durationOf[m.DurationOf] = m.ID
	}
	return nil
}

// normalizeMetricValue checks metric i's target and fills its unit and
// direction.
func (c *Config) normalizeMetricValue(i int) error {
	m := c.Metrics[i]
	if m.Target != nil && (math.IsNaN(*m.Target) || math.IsInf(*m.Target, 0)) {
		return at(fmt.Errorf("metric %q: target must be a finite number", m.ID), "metrics", i, "target")
	}
	if m.Unit == "" {
		c.Metrics[i].Unit = "number"
	} else if !slices.Contains(Units, m.Unit) {
		return at(fmt.Errorf("metric %q: unknown unit %q (one of %s)", m.ID, m.Unit, strings.Join(Units, ", ")), "metrics", i, "unit")
	}
	switch m.Direction {
	case "":
		c.Metrics[i].Direction = "higher"
	case "higher", "lower":
	default:
		return at(fmt.Errorf("metric %q: direction %q: want higher or lower", m.ID, m.Direction), "metrics", i, "direction")
	}
	return nil
}

// normalizeSources checks every source: where it is, its kind, its
// records mapping and what a database may compute.
func (c *Config) normalizeSources() error {
	for i, s := range c.Sources {
		if err := c.checkLocation(&c.Sources[i], i); err != nil {
			return at(err, "sources", i)
		}
		s = c.Sources[i]
		switch s.Kind {
		case "":
			c.Sources[i].Kind = "snapshot"
		case "snapshot", "records", "events":
		default:
			return at(fmt.Errorf("source %q: kind %q: want snapshot, records or events", s.Label(), s.Kind), "sources", i, "kind")
		}
		if err := c.checkRecords(&c.Sources[i]); err != nil {
			return at(fmt.Errorf("source %q: %w", s.Label(), err), "sources", i, "records")
		}
		if err := c.checkPushDown(&c.Sources[i]); err != nil {
			return at(fmt.Errorf("source %q: %w", s.Label(), err), "sources", i)
		}
	}
	return nil
}

// StepIndex returns the position of a configured step, or -1.
func (c *Config) StepIndex(id string) int {
	for i, s := range c.Steps {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// Metric returns the configured metric with the id, or nil.
func (c *Config) Metric(id string) *Metric {
	for i := range c.Metrics {
		if c.Metrics[i].ID == id {
			return &c.Metrics[i]
		}
	}
	return nil
}

// Stage returns the stage with the id, or nil.
func (c *Config) Stage(id string) *Stage {
	for i := range c.Stages {
		if c.Stages[i].ID == id {
			return &c.Stages[i]
		}
	}
	return nil
}
