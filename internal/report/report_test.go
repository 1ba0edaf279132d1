package report

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-Q3", "2025-q3"},
		{"web", "web"},
		{"Центр", "tsentr"},
		{"Сибирь", "sibir"},
		{"Урал", "ural"},
		{"Решение / Выбор", "reshenie-vybor"},
		{"Объём", "obem"},
		{"Ivanova, A.", "ivanova-a"},
		{"  --  ", "x"},
		{"東京", "u6771u4eac"},
		{"Ünïcode", "ufcnuefcode"},
	}
	for _, tc := range tests {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSlugOfLongLabel(t *testing.T) {
	a, b := strings.Repeat("9", 5<<20), strings.Repeat("9", 5<<20-1)
	sa, sb := Slug(a), Slug(b)
	if len(sa) > maxSlug || len(sb) > maxSlug {
		t.Errorf("slugs of %d and %d bytes, want at most %d", len(sa), len(sb), maxSlug)
	}
	if sa == sb {
		t.Errorf("two different long labels share the slug %q", sa)
	}
}

func TestUniqueSlug(t *testing.T) {
	seen := map[string]bool{}
	got := []string{uniqueSlug("a", seen), uniqueSlug("a", seen), uniqueSlug("a", seen)}
	want := []string{"a", "a-2", "a-3"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("uniqueSlug #%d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestRel(t *testing.T) {
	tests := []struct{ page, target, want string }{
		{"index.html", "periods/2025-q3/index.html", "periods/2025-q3/index.html"},
		{"periods/2025-q3/index.html", "index.html", "../../index.html"},
		{"segments/region/ural/index.html", "assets/site.css", "../../../assets/site.css"},
	}
	for _, tc := range tests {
		p := &Page{Path: tc.page}
		if got := p.Rel(tc.target); got != tc.want {
			t.Errorf("%s: Rel(%q) = %q, want %q", tc.page, tc.target, got, tc.want)
		}
	}
}
