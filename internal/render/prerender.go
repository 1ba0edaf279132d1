package render

import (
	"bytes"
	"fmt"
	"html"

	"github.com/funnel-report/funnel/internal/prerender"
)

// SVGDrawer draws a chart to SVG at build time (package prerender).
type SVGDrawer interface {
	SVG(prerender.Chart) (string, error)
}

var (
	chartOpen   = []byte(`<div class="chart" id="`)
	optionOpen  = []byte(`<script type="application/json" id="`)
	scriptClose = []byte(`</script>`)
)

// inlineSVGs puts each chart's SVG inside its container of a rendered
// page: the chart then shows with JavaScript off, and echarts.init, which
// empties the container, replaces it with the live chart. The markup is
// our own (charts.Chart.HTML): a container, then its option block.
func inlineSVGs(page []byte, d SVGDrawer) ([]byte, error) {
	var out bytes.Buffer
	rest := page
	for {
		i := bytes.Index(rest, chartOpen)
		if i < 0 {
			break
		}
		end := bytes.IndexByte(rest[i:], '>')
		if end < 0 {
			break
		}
		end += i + 1
		tag := rest[i:end]
		id, format, height := attrOf(tag, "id"), attrOf(tag, "data-format"), heightOf(attrOf(tag, "style"))
		opt := optionOf(rest[end:], id)
		if id == "" || opt == nil || height <= 0 || !bytes.HasPrefix(rest[end:], []byte("</div>")) {
			out.Write(rest[:end])
			rest = rest[end:]
			continue
		}
		svg, err := d.SVG(prerender.Chart{ID: id, Option: opt, Format: format, Height: height})
		if err != nil {
			return nil, err
		}
		out.Write(rest[:end])
		out.WriteString(svg)
		rest = rest[end:]
	}
	out.Write(rest)
	return out.Bytes(), nil
}

// attrOf reads a double-quoted attribute of a start tag, unescaped.
func attrOf(tag []byte, name string) string {
	k := []byte(" " + name + `="`)
	i := bytes.Index(tag, k)
	if i < 0 {
		return ""
	}
	v := tag[i+len(k):]
	j := bytes.IndexByte(v, '"')
	if j < 0 {
		return ""
	}
	return html.UnescapeString(string(v[:j]))
}

// heightOf reads "height:400px".
func heightOf(style string) int {
	var h int
	if _, err := fmt.Sscanf(style, "height:%dpx", &h); err != nil {
		return 0
	}
	return h
}

// optionOf returns the JSON of the option block right after a container.
func optionOf(after []byte, id string) []byte {
	after = after[len("</div>"):]
	head := append(append(append([]byte(nil), optionOpen...), id...), `-option">`...)
	if !bytes.HasPrefix(after, head) {
		return nil
	}
	body := after[len(head):]
	j := bytes.Index(body, scriptClose)
	if j < 0 {
		return nil
	}
	return body[:j]
}
