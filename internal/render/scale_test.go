package render_test

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/gen"
)

// orderedRows reads an HTML table fragment's row labels and cells in
// page order.
func orderedRows(frag string) (labels []string, cells [][]string) {
	for _, m := range rowRe.FindAllStringSubmatch(frag, -1) {
		var cs []string
		for _, c := range cellRe.FindAllStringSubmatch(m[2], -1) {
			cs = append(cs, text(c[1]))
		}
		labels = append(labels, text(m[1]))
		cells = append(cells, cs)
	}
	return labels, cells
}

// docs/design.md §7's 400-page site: 36 periods, 3 dimensions × 120 values. No
// page may list every value of a dimension: each page stays under 150 KB,
// shows the top 10 of a dimension by volume and says so, and the
// dimension's index page lists all 120.
func TestFourHundredPageSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 408-page site")
	}
	dir := t.TempDir()
	s := gen.DesignSize()
	s.Values = 120
	if _, err := gen.Write(dir, s); err != nil {
		t.Fatal(err)
	}
	o := build.Options{Source: dir}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err = build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	files := fileMap(r.Files)
	// 1 home + 36 periods + 6 stages + 3 dimension indexes + 360
	// segments + trends + data.
	if n := len(pages(files)); n != 408 {
		t.Errorf("%d pages, want 408", n)
	}
	biggest, size := "", 0
	for _, p := range pages(files) {
		if len(files[p]) > size {
			biggest, size = p, len(files[p])
		}
	}
	if size >= 150*1000 {
		t.Errorf("largest page %s weighs %d bytes, want < 150 KB", biggest, size)
	}

	m := r.Model
	// top10 is the ten channels with the most site visits in a period,
	// computed here from the model.
	top10 := func(period string) []string {
		var segs []dataset.Segment
		for _, seg := range m.Segments {
			if seg.Dim == "channel" {
				segs = append(segs, seg)
			}
		}
		sort.SliceStable(segs, func(i, j int) bool {
			return m.Funnel(period, segs[i]).Counts[0].V() > m.Funnel(period, segs[j]).Counts[0].V()
		})
		var out []string
		for _, seg := range segs[:10] {
			out = append(out, seg.Value)
		}
		return out
	}
	const heading = "Channel: top 10 of 120 by Site visits"

	// A period page's segment table: all segments, then per dimension a
	// heading row linked to its index and its ten largest values.
	period := m.Periods[20]
	pp := string(files["periods/"+strings.ToLower(period)+"/index.html"])
	seg := pp[strings.Index(pp, `<caption class="vh">Step conversion by segment`):]
	seg = seg[:strings.Index(seg, "</table>")]
	labels, _ := orderedRows(seg)
	if len(labels) != 1+3*10 {
		t.Errorf("period %s segment table has %d rows, want 31", period, len(labels))
	}
	if !strings.Contains(seg, `<a href="../../segments/channel/index.html">`+heading+`</a>`) {
		t.Errorf("period %s segment table lacks the linked heading %q", period, heading)
	}
	var got []string
	for _, l := range labels {
		if v, ok := strings.CutPrefix(l, "Channel: "); ok {
			got = append(got, v)
		}
	}
	if strings.Join(got, ",") != strings.Join(top10(period), ",") {
		t.Errorf("period %s lists channels %v, want the largest %v", period, got, top10(period))
	}

	if !strings.Contains(pp, "A dimension with many values shows its 10 largest by Site visits; its page lists them all.") {
		t.Errorf("period %s: the segment chart's note does not say it shows the top 10", period)
	}

	// The sidebar: five channels and a link to all of them.
	nav := pp[strings.Index(pp, `<nav class="site-nav"`):]
	nav = nav[:strings.Index(nav, "</nav>")]
	if n := strings.Count(nav, `href="../../segments/channel/channel-`); n != 5 {
		t.Errorf("sidebar links %d channels, want 5", n)
	}
	if !strings.Contains(nav, `<a href="../../segments/channel/index.html">All values (120)</a>`) {
		t.Error("sidebar lacks the link to every channel")
	}

	// The dimension index: every channel, largest first.
	idx := string(files["segments/channel/index.html"])
	labels, cells := orderedRows(idx)
	if len(labels) != 1+120 || labels[0] != "All segments" {
		t.Fatalf("channel index has %d rows (first %q), want all segments and 120 channels", len(labels), labels[0])
	}
	prev := -1.0
	for i, c := range cells[1:] {
		v, err := strconv.ParseFloat(strings.ReplaceAll(c[0], ",", ""), 64)
		if err != nil {
			t.Fatalf("channel index row %d: visits %q", i, c[0])
		}
		if prev >= 0 && v > prev {
			t.Errorf("channel index row %s (%v visits) after %v: not largest first", labels[i+1], v, prev)
		}
		prev = v
	}
	if got := labels[1:11]; strings.Join(got, ",") != strings.Join(top10(m.Latest), ",") {
		t.Errorf("channel index starts %v, want %v", got, top10(m.Latest))
	}
	if !regexp.MustCompile(`<a href="../../segments/channel/channel-\d+/index.html">channel-\d+</a>`).MatchString(idx) {
		t.Error("channel index does not link the segment pages")
	}

	// Trends: one line per top channel, plus all segments.
	tr := string(files["trends/index.html"])
	if !strings.Contains(tr, "<h2>Overall conversion by Channel — top 10 of 120 by Site visits</h2>") {
		t.Error("trends page does not say it shows the top 10 channels")
	}
	// The data page: all segments, and each dimension's heading and ten.
	dp := string(files["data/index.html"])
	dseg := dp[strings.Index(dp, "<caption>Every segment"):]
	if labels, _ := orderedRows(dseg); len(labels) != 1+30 {
		t.Errorf("data page segment table has %d rows, want 31", len(labels))
	}
	// Sharp drops: the first ten, and how many there are.
	if home := string(files["index.html"]); !regexp.MustCompile(`Sharp drops: [^<]* — the first 10 of \d+, in rank order`).MatchString(home) {
		t.Error("home's sharp drops do not say they are the first 10")
	}
}

// docs/design.md §7 at 4× the periods (144 months): every page stays under
// 150 KB. The trends page shows the last 36 periods in its charts and
// tables and says where the older ones are.
func TestFourTimesThePeriods(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 144-period site")
	}
	dir := t.TempDir()
	s := gen.DesignSize()
	s.Periods, s.Commentary = 144, false
	if _, err := gen.Write(dir, s); err != nil {
		t.Fatal(err)
	}
	o := build.Options{Source: dir}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err = build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	files := fileMap(r.Files)
	for _, p := range pages(files) {
		if len(files[p]) >= 150*1000 {
			t.Errorf("%s weighs %d bytes, want < 150 KB", p, len(files[p]))
		}
	}
	trends := string(files["trends/index.html"])
	if !strings.Contains(trends, "36 из 144") && !strings.Contains(trends, "36 of 144") {
		t.Error("the trends page does not say it shows the last 36 of 144 periods")
	}
	// The counts table: one row per shown period, the latest last.
	counts := trends[strings.LastIndex(trends, "<table"):]
	labels, _ := orderedRows(counts[:strings.Index(counts, "</table>")])
	if len(labels) != 36 || !strings.Contains(labels[35], "2034") { // 144 months from 2023-01: up to 2034-12
		t.Errorf("counts table rows %d, last %q; want the last 36 periods", len(labels), labels[len(labels)-1])
	}
}
