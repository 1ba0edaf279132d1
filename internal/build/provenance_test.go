package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/testproject"
)

func TestProvenance(t *testing.T) {
	dir := testproject.CopyExample(t)
	load := func(period string) *Result {
		t.Helper()
		r, err := Load(Options{Source: dir, Period: period})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(r.Close)
		return r
	}
	sum := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		return hex.EncodeToString(h[:])
	}
	p := load("").Model.Provenance
	if p == nil || p.DataAsOf != "2025-Q4" || p.Funnel == "" {
		t.Fatalf("provenance %+v", p)
	}
	if p.Config == nil || p.Config.Path != "funnel.yaml" || p.Config.SHA256 != sum("funnel.yaml") {
		t.Errorf("config %+v", p.Config)
	}
	if len(p.Inputs) != 2 || p.Inputs[0].Path != "data/funnel.csv" || p.Inputs[0].SHA256 != sum("data/funnel.csv") ||
		p.Inputs[1].Path != "data/stage_metrics.csv" || p.Inputs[1].SHA256 != sum("data/stage_metrics.csv") {
		t.Errorf("inputs %+v", p.Inputs)
	}
	if q := load("2025-Q2").Model.Provenance; q.DataAsOf != "2025-Q2" {
		t.Errorf("--period 2025-Q2: data as of %s", q.DataAsOf)
	}
	// The export carries it, and two exports of the same inputs agree.
	a, err := export.JSON(load("").Model)
	if err != nil {
		t.Fatal(err)
	}
	b, err := export.JSON(load("").Model)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("two exports of the same inputs differ")
	}
	for _, want := range []string{`"provenance":{"data_as_of":"2025-Q4","funnel_version":"`, `"sha256":"` + sum("data/funnel.csv") + `"`} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
	// Editing a data file changes its hash.
	f := filepath.Join(dir, "data", "funnel.csv")
	old, _ := os.ReadFile(f)
	if err = os.WriteFile(f, append(old, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := load("").Model.Provenance; n.Inputs[0].SHA256 == p.Inputs[0].SHA256 || n.Inputs[1].SHA256 != p.Inputs[1].SHA256 {
		t.Errorf("after an edit of data/funnel.csv: %+v", n.Inputs)
	}
}
