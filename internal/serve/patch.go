package serve

import (
	"bytes"
	"encoding/json"
	"path"
	"slices"
	"strings"

	"github.com/funnel-report/funnel/internal/site"
)

// A reload event tells each open page what the new build means for it,
// so that a commentary edit does not reload every page: a page whose
// HTML did not change stays as it is; a page whose only change is inside
// its commentary sections gets the new sections swapped in place (no
// reload, the charts stay drawn, the scroll position too); any other
// page reloads.
type reloadMsg struct {
	V string `json:"v"`
	// Full: every page reloads (a failed or first build, the databases
	// queried again, a changed stylesheet, script or image…).
	Full bool `json:"full,omitempty"`
	// Pages are the HTML pages whose content changed.
	Pages []string `json:"pages,omitempty"`
	// Patch holds, for those of Pages whose change is all inside their
	// commentary sections, the new sections' inner HTML in page order.
	Patch map[string][]string `json:"patch,omitempty"`
}

// patchBudget bounds the patches an event carries; beyond it the pages
// reload instead (an edit that touches hundreds of pages is no longer a
// commentary edit worth patching).
const patchBudget = 256 << 10

// commentaryOpen is the element the built-in templates put rendered
// commentary in. A project template without it simply reloads.
const commentaryOpen = `<section class="commentary">`

// reloadMessage is the event for going from files old to cur, whose
// changed output paths are changed; full when no page may be spared.
func reloadMessage(version string, old, cur map[string]site.File, changed []string, full bool) string {
	return reloadEvent(version, old, cur, changed, full).event()
}

// reloadEvent is reloadMessage before it is encoded.
func reloadEvent(version string, old, cur map[string]site.File, changed []string, full bool) reloadMsg {
	m := reloadMsg{V: version, Full: full}
	budget := patchBudget
	for _, p := range changed {
		if m.Full {
			break
		}
		if !strings.HasSuffix(p, ".html") {
			// A stylesheet, script or image may show on any page; the
			// downloads (funnel.json, the CSV tables) show on none.
			m.Full = !slices.Contains([]string{".csv", ".json", ".xlsx"}, path.Ext(p))
			continue
		}
		m.Pages = append(m.Pages, p)
		was, ok := old[p]
		if !ok {
			continue
		}
		if parts, ok := commentaryOnly(was.Data, cur[p].Data); ok && budget >= partsLen(parts) {
			budget -= partsLen(parts)
			if m.Patch == nil {
				m.Patch = map[string][]string{}
			}
			m.Patch[p] = parts
		}
	}
	if m.Full {
		m.Pages, m.Patch = nil, nil
	}
	slices.Sort(m.Pages)
	return m
}

// event encodes m as a Server-Sent Event.
func (m reloadMsg) event() string {
	data, _ := json.Marshal(m) // strings and bools only: cannot fail
	return "id: " + m.V + "\nevent: reload\ndata: " + string(data) + "\n\n"
}

func partsLen(parts []string) (n int) {
	for _, p := range parts {
		n += len(p)
	}
	return n
}

// commentaryOnly reports whether page was and page cur differ only inside
// their commentary sections, and returns cur's sections. Sections that
// hold a chart or a script are never patched: site.js draws those when a
// page loads.
func commentaryOnly(was, cur []byte) ([]string, bool) {
	wasRest, wasParts := splitCommentary(was)
	curRest, curParts := splitCommentary(cur)
	if curParts == nil || len(wasParts) != len(curParts) || !bytes.Equal(wasRest, curRest) {
		return nil, false
	}
	out := make([]string, len(curParts))
	for i, p := range curParts {
		for _, live := range [][]byte{p, wasParts[i]} {
			if bytes.Contains(live, []byte("<script")) || bytes.Contains(live, []byte(`class="chart-box`)) {
				return nil, false
			}
		}
		out[i] = string(p)
	}
	return out, true
}

// splitCommentary cuts the inner HTML of each commentary section out of
// page: rest is the page without it, parts the cut pieces. Sections
// nested inside commentary (raw HTML in Markdown) are matched by depth.
// A section left open gives no parts.
func splitCommentary(page []byte) (rest []byte, parts [][]byte) {
	open, end := []byte("<section"), []byte("</section>")
	for {
		i := bytes.Index(page, []byte(commentaryOpen))
		if i < 0 {
			return append(rest, page...), parts
		}
		body := i + len(commentaryOpen)
		depth, j := 1, body
		for depth > 0 {
			k := bytes.Index(page[j:], end)
			if k < 0 {
				return nil, nil
			}
			depth += bytes.Count(page[j:j+k], open) - 1
			j += k + len(end)
		}
		closeAt := j - len(end)
		rest = append(rest, page[:body]...)
		parts = append(parts, page[body:closeAt])
		page = page[closeAt:]
	}
}
