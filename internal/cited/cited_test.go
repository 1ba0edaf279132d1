package cited

import (
	"strings"
	"testing"
)

func c(file string, line int, embed string, shown ...string) Citation {
	label, _, _ := strings.Cut(strings.TrimPrefix(embed, "value "), " ")
	return Citation{File: file, Line: line, Embed: embed, Label: label, Shown: shown}
}

func TestCompare(t *testing.T) {
	accepted := New([]Citation{
		c("content/a.md", 3, "value conversion step=deals", "18,5%"),
		c("content/a.md", 5, "value conversion step=deals", "30,0%"),
		c("content/a.md", 9, "table funnel", "Deals · Count: 143", "Deals · Rate: 18,5%", "Leads · Count: 775"),
		c("content/b.md", 2, "value count step=leads", "775"),
	})
	cur := []Citation{
		// The paragraph moved down two lines; the value is the same.
		c("content/a.md", 5, "value conversion step=deals", "18,5%"),
		// The second occurrence changed.
		c("content/a.md", 7, "value conversion step=deals", "31,0%"),
		c("content/a.md", 11, "table funnel", "Deals · Count: 150", "Deals · Rate: 19,4%", "Leads · Count: 775"),
		c("content/b.md", 2, "value count step=leads", "775"),
		c("content/b.md", 4, "value count step=deals", "150"), // new, never accepted
	}
	stale, unrecorded := Compare(accepted, cur)
	if unrecorded != 1 {
		t.Errorf("unrecorded = %d, want 1", unrecorded)
	}
	want := []string{
		"content/a.md:7 cites conversion 30,0% — now 31,0%",
		"content/a.md:11 cites table, Deals · Count: 143 — now 150 (and 1 more changed)",
	}
	if len(stale) != len(want) {
		t.Fatalf("stale = %v, want %v", stale, want)
	}
	for i, s := range stale {
		if s.String() != want[i] {
			t.Errorf("stale[%d] = %q, want %q", i, s.String(), want[i])
		}
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	if _, ok, err := Load(dir); ok || err != nil {
		t.Fatalf("no file: ok %v, err %v", ok, err)
	}
	st := New([]Citation{c("content/a.md", 3, "value conversion step=deals", "18,5%")})
	if err := Save(dir, st); err != nil {
		t.Fatal(err)
	}
	got, ok, err := Load(dir)
	if err != nil || !ok {
		t.Fatalf("load: %v %v", ok, err)
	}
	if s, n := Compare(got, []Citation{c("content/a.md", 3, "value conversion step=deals", "18,5%")}); len(s) != 0 || n != 0 {
		t.Errorf("a saved state differs from itself: %v, %d", s, n)
	}
}
