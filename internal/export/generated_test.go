package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/export/exportgen"
)

// The funnel encoder, the CSV columns and docs/export.md's field tables
// are what go generate ./internal/export writes from the declaration.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := exportgen.Generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range files {
		got, err := os.ReadFile(filepath.Join("../..", path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/export", path)
		}
	}
}

// The generator's mirror of Document has Document's keys.
func TestGeneratorDocumentIsDocument(t *testing.T) {
	keys := func(t reflect.Type) (out []string) {
		for i := range t.NumField() {
			out = append(out, t.Field(i).Tag.Get("json"))
		}
		return out
	}
	got, want := keys(reflect.TypeFor[exportgen.Document]()), keys(reflect.TypeFor[Document]())
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("exportgen.Document has keys %v, export.Document %v", got, want)
	}
	if got, want := keys(reflect.TypeFor[exportgen.Document]().Field(3).Type.Elem()), keys(reflect.TypeFor[FindingText]()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("exportgen.Document's findings have keys %v, FindingText %v", got, want)
	}
}

// fill sets every exported field under v: a number with a fraction (so
// each precision rounds it), a distinct integer, true, a string that
// needs escaping, lists of two; n numbers the values.
func fill(v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == reflect.TypeFor[analysis.Opt]():
		v.Set(reflect.ValueOf(analysis.Some(float64(*n) + 0.123456789)))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case v.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case v.Kind() == reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case v.Kind() == reflect.Int:
		v.SetInt(int64(*n))
	case v.Type() == reflect.TypeFor[analysis.RefKind]():
		v.SetUint(uint64(analysis.RefPrevious))
	case v.Kind() == reflect.Float64:
		v.SetFloat(float64(*n) + 0.987654321)
	case v.Kind() == reflect.Bool:
		v.SetBool(true)
	case v.Kind() == reflect.String:
		v.SetString(fmt.Sprintf("s%d \"<&>\" \u2028 ё", *n))
	default:
		panic(fmt.Sprintf("fill: %s", v.Type()))
	}
}

// fullModel is a model whose funnels have every field set: the encoder
// must write each one, whatever the example data happens to hold.
func fullModel(t *testing.T) *analysis.Model {
	t.Helper()
	// Lists of two: two steps, two metrics (money and days, whose units
	// set the precision of a KPI's numbers).
	m := &analysis.Model{Title: "every field", Language: "en", Periods: []string{"p"},
		Steps:   []analysis.Step{{ID: "a"}, {ID: "b"}},
		Metrics: []analysis.Metric{{ID: "money", Unit: "money"}, {ID: "days", Unit: "days"}}}
	n := 0
	for range 2 {
		f := &analysis.Funnel{}
		fill(reflect.ValueOf(f).Elem(), &n)
		for i := range f.Transitions {
			f.Transitions[i].From, f.Transitions[i].To = 0, 1
			f.Durations[i].Source = analysis.FromRecords // the source every column is written for
		}
		for i := range f.KPIs {
			f.KPIs[i].Metric = i
		}
		m.Funnels = append(m.Funnels, f)
	}
	// The diagnoses are written by the generated encoder too: one with
	// every field set (a nil test in its family is null; a finding's
	// values in money, days and no unit), one with nothing but its period.
	d := &analysis.Diagnosis{}
	fill(reflect.ValueOf(d).Elem(), &n)
	d.Tests.Tests = append(d.Tests.Tests, nil)
	d.Findings[0].Values[0].Unit, d.Findings[0].Values[1].Unit, d.Findings[1].Values[0].Unit = "money", "days", ""
	m.Diagnoses = []*analysis.Diagnosis{d, {Period: "p"}}
	return m
}

// With every field set, every cell of every CSV table is filled: no
// field the declaration maps is left out of a row.
func TestCSVWritesEveryField(t *testing.T) {
	m := fullModel(t)
	for _, tab := range Tables() {
		rows, err := csv.NewReader(bytes.NewReader(tab.CSV(m))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", tab.Name, err)
		}
		if len(rows) < 3 {
			t.Fatalf("%s: %d rows", tab.Name, len(rows))
		}
		for _, r := range rows[1:] {
			for i, c := range r {
				if c == "" {
					t.Errorf("%s: column %s is empty with every field set", tab.Name, rows[0][i])
				}
			}
		}
	}
}

// Every key of the funnels' and diagnoses' objects appears in the JSON of a full model
// (encoding/json, which TestFunnelsEncodeAsEncodingJSON holds the
// encoder to, writes every field; this guards the fill).
func TestFullModelSetsEveryKey(t *testing.T) {
	m := fullModel(t)
	b, err := json.Marshal([]any{m.Funnels[0], m.Diagnoses[0]})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[analysis.Funnel](), reflect.TypeFor[analysis.Transition](),
		reflect.TypeFor[analysis.Duration](), reflect.TypeFor[analysis.KPI](), reflect.TypeFor[analysis.CurvePoint](),
		reflect.TypeFor[analysis.Diagnosis](), reflect.TypeFor[analysis.Bottleneck](), reflect.TypeFor[analysis.Drop](),
		reflect.TypeFor[analysis.FarBelow](), reflect.TypeFor[analysis.DrawnOut](), reflect.TypeFor[analysis.Hole](),
		reflect.TypeFor[analysis.SegmentLoss](), reflect.TypeFor[analysis.Family](), reflect.TypeFor[analysis.Grid](),
		reflect.TypeFor[analysis.Finding](), reflect.TypeFor[analysis.Value]()} {
		for i := range typ.NumField() {
			key, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if key != "" && key != "-" && !bytes.Contains(b, []byte(`"`+key+`":`)) {
				t.Errorf("%s.%s (%q) is not set by fill", typ.Name(), typ.Field(i).Name, key)
			}
		}
	}
}
