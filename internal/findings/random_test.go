package findings

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/i18n"
)

// Random projects, both languages: every sentence of every period cites
// only its finding's values, and never prints NaN or a format error.
func TestRandomModelsCiteOnlyTheirValues(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	kinds := map[string]int{}
	for trial := 0; trial < 150; trial++ {
		var y strings.Builder
		y.WriteString("deal_value: dv\ncurrency: \"₽\"\nsegments: [ch]\nsteps:\n")
		stages := []string{"awareness", "consideration", "decision", "purchase", "loyalty", "advocacy"}
		nSteps := 2 + r.Intn(5)
		for i := 0; i < nSteps; i++ {
			target := ""
			if i > 0 && r.Intn(2) == 0 {
				target = fmt.Sprintf(", target: %.2f", r.Float64())
			}
			maxDays := ""
			if r.Intn(3) == 0 {
				maxDays = fmt.Sprintf(", max_days: %d", 1+r.Intn(30))
			}
			fmt.Fprintf(&y, "  - {id: s%d, name: Шаг %c, stage: %s%s%s}\n", i, 'А'+rune(i), stages[i%6], target, maxDays)
		}
		y.WriteString("metrics:\n  - {id: dv, stage: decision, unit: money}\n")
		units := []string{"nps", "score5", "hours", "percent", "days", "number"}
		for i, u := range units {
			fmt.Fprintf(&y, "  - {id: m%d, name: Метрика %c, stage: %s, unit: %s, target: %.2f, direction: %s}\n",
				i, 'А'+rune(i), stages[(i+1)%6], u, r.Float64()*10, []string{"higher", "lower"}[r.Intn(2)])
		}
		y.WriteString("  - {id: days1, unit: days, duration_of: s1}\n")
		var lines []string
		for p := 0; p < 1+r.Intn(6); p++ {
			period := fmt.Sprintf("%d-Q%d", 2024+p/4, p%4+1)
			for s := 0; s < 1+r.Intn(4); s++ {
				c := float64(r.Intn(3000))
				for i := 0; i < nSteps; i++ {
					if r.Intn(15) == 0 {
						continue
					}
					lines = append(lines, fmt.Sprintf("%s|ch=v%d|s%d|%d", period, s, i, int(c)))
					c = float64(int(c * r.Float64() * 1.1))
				}
			}
			lines = append(lines, fmt.Sprintf("%s||dv|%d", period, r.Intn(5_000_000)))
			lines = append(lines, fmt.Sprintf("%s||days1|%d.%d", period, r.Intn(20), r.Intn(10)))
			for i := range units {
				if r.Intn(4) > 0 {
					lines = append(lines, fmt.Sprintf("%s||m%d|%d.%d", period, i, r.Intn(10), r.Intn(100)))
				}
			}
		}
		m := synthetic(t, y.String(), lines...)
		for _, lang := range []string{"ru", "en"} {
			loc := i18n.For(lang)
			for _, p := range m.Periods {
				for _, s := range Sentences(m, p, loc) {
					kinds[s.Finding.Kind]++
					digits, missing := leftover(m, s.Finding, loc, s.Text)
					if digits != "" || len(missing) > 0 || strings.Contains(s.Text, "%!") || strings.Contains(s.Text, "NaN") {
						t.Fatalf("trial %d %s %s: digits %q, uncited %v in %q", trial, lang, p, digits, missing, s.Text)
					}
				}
			}
		}
	}
	// Not vacuous: the random projects produce every common kind.
	for _, k := range []string{"bottleneck", "drop", "drawn_out", "segment_loss", "kpi", "hole"} {
		if kinds[k] < 10 {
			t.Errorf("only %d %s sentences in the random projects (%v)", kinds[k], k, kinds)
		}
	}
}
