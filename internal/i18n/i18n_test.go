package i18n

import "testing"

func TestNumbers(t *testing.T) {
	ru, en := For("ru"), For("en")
	nb := "\u00a0"
	type fn = func(l *Locale) string
	tests := []struct {
		name           string
		format         fn
		wantRU, wantEN string
	}{
		{"Num 12345.6", func(l *Locale) string { return l.Num(12345.6, 1) }, "12" + nb + "345,6", "12,345.6"},
		{"Int 1234 (ru leaves four digits ungrouped)", func(l *Locale) string { return l.Int(1234) }, "1234", "1,234"},
		{"Int 26672", func(l *Locale) string { return l.Int(26672) }, "26" + nb + "672", "26,672"},
		{"Int 1234567", func(l *Locale) string { return l.Int(1234567) }, "1" + nb + "234" + nb + "567", "1,234,567"},
		{"Num -3.25", func(l *Locale) string { return l.Num(-3.25, 2) }, "−3,25", "−3.25"},
		{"Pct 0.185", func(l *Locale) string { return l.Pct(0.185) }, "18,5%", "18.5%"},
		{"Pct 1", func(l *Locale) string { return l.Pct(1) }, "100,0%", "100.0%"},
		{"Pct 0", func(l *Locale) string { return l.Pct(0) }, "0,0%", "0.0%"},
		// 0.05% must not print as 0,0%: one more decimal per decade.
		{"Pct 0.0005", func(l *Locale) string { return l.Pct(0.0005) }, "0,05%", "0.05%"},
		{"Pct 0.0049", func(l *Locale) string { return l.Pct(0.0049) }, "0,5%", "0.5%"},
		{"Pct 0.00012 (one significant digit)", func(l *Locale) string { return l.Pct(0.00012) }, "0,01%", "0.01%"},
		{"Pct 0.000004 (four decimals at most)", func(l *Locale) string { return l.Pct(0.000004) }, "0,0004%", "0.0004%"},
		{"PP +0.021", func(l *Locale) string { return l.PP(0.021) }, "+2,1\u00a0п.\u00a0п.", "+2.1\u00a0pp"},
		{"PP -0.0003", func(l *Locale) string { return l.PP(-0.0003) }, "−0,03\u00a0п.\u00a0п.", "−0.03\u00a0pp"},
		{"PP 0", func(l *Locale) string { return l.PP(0) }, "0,0\u00a0п.\u00a0п.", "0.0\u00a0pp"},
	}
	for _, tc := range tests {
		if got := tc.format(ru); got != tc.wantRU {
			t.Errorf("%s ru = %q, want %q", tc.name, got, tc.wantRU)
		}
		if got := tc.format(en); got != tc.wantEN {
			t.Errorf("%s en = %q, want %q", tc.name, got, tc.wantEN)
		}
	}
}

func TestPeriodsAndUnits(t *testing.T) {
	ru, en := For("ru"), For("en")
	tests := []struct{ in, ru, en string }{
		{"2025-Q3", "III кв. 2025", "Q3 2025"},
		{"2025-03", "март 2025", "Mar 2025"},
		{"2025-W07", "нед. 7, 2025", "week 7, 2025"},
		{"2025", "2025", "2025"},
		{"весна", "весна", "весна"},
	}
	for _, tc := range tests {
		if got := ru.Period(tc.in); got != tc.ru {
			t.Errorf("ru Period(%q) = %q, want %q", tc.in, got, tc.ru)
		}
		if got := en.Period(tc.in); got != tc.en {
			t.Errorf("en Period(%q) = %q, want %q", tc.in, got, tc.en)
		}
	}
	if got := ru.Value(9.25, "days", ""); got != "9,3\u00a0дн." && got != "9,2\u00a0дн." {
		t.Errorf("ru days = %q", got)
	}
	if got := en.Value(1771980, "money", "$"); got != "$1,771,980" {
		t.Errorf("en money = %q", got)
	}
	if got := ru.Dim("region"); got != "Регион" {
		t.Errorf("ru Dim(region) = %q", got)
	}
	if got := ru.Dim("warehouse"); got != "warehouse" {
		t.Errorf("unknown dim = %q, want it unchanged", got)
	}
}

// Every UI key has a Russian string: a missing one would show English on
// a Russian site.
func TestRussianCoversEnglish(t *testing.T) {
	for k := range en {
		if _, ok := ru[k]; !ok {
			t.Errorf("ru lacks %q", k)
		}
	}
}

// Money per locale: the sign where English writes it, millions the way a
// consultant says them.
func TestMoney(t *testing.T) {
	en, ru := For("en"), For("ru")
	for _, c := range []struct{ got, want string }{
		{en.Money(544417, "$"), "$544,417"},
		{en.Money(-544417, "$"), "−$544,417"},
		{en.Money(544417, "EUR"), "544,417\u00a0EUR"},
		{en.MoneyShort(3e6)("$"), "$3M"},
		{en.MoneyShort(183.54e6)("$"), "$183.5M"},
		{en.MoneyShort(2.5e9)("$"), "$2.5bn"},
		{en.MoneyShort(544417)("$"), "$544,417"},
		{ru.Money(544417, "₽"), "544\u00a0417\u00a0₽"},
		{ru.MoneyShort(3e6)("₽"), "3\u00a0млн\u00a0₽"},
		{ru.MoneyShort(183.54e6)("₽"), "183,5\u00a0млн\u00a0₽"},
		{ru.MoneyRange(137.7e6, 224.4e6, "₽"), "137,7–224,4\u00a0млн\u00a0₽"},
		{en.MoneyRange(137.7e6, 224e6, "$"), "$137.7–224.0M"},
		{en.MoneyRange(5e5, 2e6, "$"), "$500,000–$2M"},
		{ru.Money(1234, ""), "1234"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// One precision per percent column: what its smallest non-zero value
// needs (two decimals under 1%, else one), never more than two, and a
// non-zero value never prints as zero.
func TestPctColumnPrecision(t *testing.T) {
	ru := For("ru")
	for _, c := range []struct {
		col  []float64
		want []string
	}{
		{[]float64{0.185, 0.702, 1}, []string{"18,5%", "70,2%", "100,0%"}},
		{[]float64{0.001, 0.0006}, []string{"0,10%", "0,06%"}},              // not "0,1%" beside "0,06%"
		{[]float64{0.0054, 0.0049}, []string{"0,54%", "0,49%"}},             // not "0,5%" for both
		{[]float64{0.041, 0.00049, 0}, []string{"4,10%", "0,05%", "0,00%"}}, // a true zero stays zero
		{[]float64{0.2, 0.00003}, []string{"20,00%", "< 0,01%"}},            // never a false "0,00%"
		{[]float64{-0.00001}, []string{"> −0,01%"}},
	} {
		d := PctColumnDigits(c.col)
		for i, v := range c.col {
			if got := ru.PctN(v, d); got != c.want[i] {
				t.Errorf("column %v: %v → %q, want %q", c.col, v, got, c.want[i])
			}
		}
	}
	if got := ru.PctRange(0.159, 0.214); got != "15,9–21,4%" {
		t.Errorf("range %q", got)
	}
	for v, want := range map[float64]string{1104: "1\u00a0104", 26672: "26\u00a0672", 13: "13", -1104: "−1\u00a0104"} {
		if got := ru.IntGrouped(v); got != want {
			t.Errorf("IntGrouped(%v) = %q, want %q", v, got, want)
		}
	}
	if got := For("en").IntGrouped(1104); got != "1,104" {
		t.Errorf("en IntGrouped = %q", got)
	}
}

// The glossary names, in each language, every exact term the pages put in
// plain words (issue 15, item 9), and its plain words are the pages' own.
func TestGlossary(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		terms []string
	}{
		{"ru", []string{"p (p-значение)", "p90", "медиана", "клиенто-дни", "max_days", "источник ориентира", "предварительно (provisional)", "надёжно (confident)", "проверяемая конверсия (r^W)"}},
		{"en", []string{"p (p-value)", "p90", "median", "client-days", "max_days", "reference source", "provisional", "confident", "tested rate (r^W)"}},
	} {
		l := For(tc.lang)
		g := l.Glossary()
		have := map[string]Term{}
		for _, x := range g {
			if x.Term == "" || x.Plain == "" || x.Meaning == "" {
				t.Errorf("%s: incomplete glossary entry %+v", tc.lang, x)
			}
			have[x.Term] = x
		}
		for _, want := range tc.terms {
			if _, ok := have[want]; !ok {
				t.Errorf("%s: the glossary lacks %q", tc.lang, want)
			}
		}
		if have[tc.terms[0]].Plain != l.T("p_value") {
			t.Errorf("%s: p's plain words %q are not the pages' %q", tc.lang, have[tc.terms[0]].Plain, l.T("p_value"))
		}
	}
}

// TestProse: a duration in a sentence has no trailing zero and its word
// agrees with the number; other units read as in a table.
func TestProse(t *testing.T) {
	ru, en := For("ru"), For("en")
	for _, c := range []struct {
		l    *Locale
		v    float64
		unit string
		want string
	}{
		{ru, 11.0, "days", "11\u00a0дней"},
		{ru, 10.96, "days", "11\u00a0дней"},
		{ru, 1, "days", "1\u00a0день"},
		{ru, 21, "days", "21\u00a0день"},
		{ru, 3, "days", "3\u00a0дня"},
		{ru, 12, "days", "12\u00a0дней"},
		{ru, 22, "hours", "22\u00a0часа"},
		{ru, 11.5, "days", "11,5\u00a0дня"},
		{ru, 0, "days", "0\u00a0дней"},
		{en, 1, "days", "1\u00a0day"},
		{en, 21, "days", "21\u00a0days"},
		{en, 2.5, "hours", "2.5\u00a0hours"},
		{ru, 0.5, "percent", ru.Value(0.5, "percent", "")},
		{en, 1771980, "money", "$1,771,980"},
	} {
		cur := ""
		if c.unit == "money" {
			cur = "$"
		}
		if got := c.l.Prose(c.v, c.unit, cur); got != c.want {
			t.Errorf("%s Prose(%v, %s) = %q, want %q", c.l.Lang, c.v, c.unit, got, c.want)
		}
	}
}
