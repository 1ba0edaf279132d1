package serve

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// The browser side of live reload. The page's script tag carries the
// version it was served at; the stream reloads the page when a newer
// build exists, whether it happened before the stream connected, while
// it was down (the server restarted) or later. A build that leaves this
// page as it was changes nothing here; one that changes only its
// commentary swaps the new sections in (see reloadMsg); the stream is
// then opened again at the new version.
const reloadJS = `(function () {
  var me = document.currentScript;
  var v = me && me.getAttribute("data-version") || "";
  var page = decodeURIComponent(location.pathname).replace(/^\/+/, "");
  if (page === "" || /\/$/.test(page)) page += "index.html";
  var es;
  function apply(m) {
    if (m.full || !m.v) return false;
    var parts = m.patch && m.patch[page];
    if (parts) {
      var secs = document.querySelectorAll("section.commentary");
      if (secs.length !== parts.length) return false;
      for (var i = 0; i < parts.length; i++) secs[i].innerHTML = parts[i];
      document.dispatchEvent(new CustomEvent("funnel:patched", { detail: m.v }));
      return true;
    }
    return (m.pages || []).indexOf(page) < 0;
  }
  function listen() {
    es = new EventSource("/__funnel/events?v=" + encodeURIComponent(v) + "&page=" + encodeURIComponent(page));
    es.addEventListener("reload", function (e) {
      es.close();
      var m = {};
      try { m = JSON.parse(e.data); } catch (err) {}
      if (!apply(m)) { location.reload(); return; }
      v = m.v;
      listen();
    });
  }
  listen();
  var key = document.getElementById("funnel-refresh");
  if (key) key.addEventListener("click", function () {
    key.disabled = true;
    key.textContent = "Querying the databases…";
    fetch("/__funnel/refresh", { method: "POST", headers: { "X-Funnel": "refresh" } }).then(function (r) {
      if (!r.ok) { key.disabled = false; key.textContent = "Refresh failed (" + r.status + "): query again"; }
    });
  });
})();
`

// Paths of the live-reload endpoints; they exist only in serve mode.
const (
	reloadScriptPath = "/__funnel/reload.js"
	eventsPath       = "/__funnel/events"
	refreshPath      = "/__funnel/refresh"
)

// hub fans reload events out to the open event streams. It knows which
// page each stream shows (the build draws those first) and remembers the
// last events, so that a stream that reconnects (the page reloaded
// between two events of one build) hears only whether its page changed
// since the version it was served at.
type hub struct {
	mu   sync.Mutex
	subs map[chan string]string // stream → the page it shows ("": unknown)
	// cur is the version of the last event (or of the state before any);
	// history the last events, oldest first.
	cur     string
	history []reloadMsg
}

// historyLen bounds the events a reconnecting stream can catch up on;
// an older version reloads its page.
const historyLen = 64

// newHub starts at version: the state before any event, in the history
// so that a page served then catches up like any other.
func newHub(version string) *hub {
	return &hub{subs: map[chan string]string{}, cur: version, history: []reloadMsg{{V: version}}}
}

// subscribe returns a stream of events for a page served at version v
// (either may be ""), the event it has missed if any (""), and the
// stream's cancel function. Subscribed and compared under one lock: no
// event falls in between.
func (h *hub) subscribe(page, v string) (<-chan string, string, func()) {
	c := make(chan string, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.subs[c] = page
	return c, h.missed(page, v), func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}
}

// missed is the one event that stands for those after version v, for a
// stream showing page: it reloads the page if any of them would have.
func (h *hub) missed(page, v string) string {
	if v == "" || v == h.cur {
		return ""
	}
	at := slices.IndexFunc(h.history, func(m reloadMsg) bool { return m.V == v })
	if at < 0 {
		// Older than the history, or served by another server process.
		return reloadMsg{V: h.cur, Full: true}.event()
	}
	m := reloadMsg{V: h.cur}
	for _, e := range h.history[at+1:] {
		m.Full = m.Full || e.Full
		for _, p := range e.Pages {
			if (page == "" || p == page) && !slices.Contains(m.Pages, p) {
				m.Pages = append(m.Pages, p)
			}
		}
	}
	if m.Full {
		m.Pages = nil
	}
	slices.Sort(m.Pages)
	return m.event() // no patches: a page patched in between reloads
}

// pages are the pages the open streams show, sorted.
func (h *hub) pages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, p := range h.subs {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// broadcast runs swap (which makes what m announces the served state)
// and sends m, under the lock that subscribe takes: a stream either
// subscribed before and gets m, or after and compares its version with
// m's. It never blocks: a client whose buffer is full already has a
// reload pending, which this one would only repeat (it reloads its page
// or reconnects, and then catches up from the history). A client that
// stops reading is dropped by its write deadline in serveEvents.
func (h *hub) broadcast(m reloadMsg, swap func()) {
	msg := m.event()
	h.mu.Lock()
	defer h.mu.Unlock()
	swap()
	h.cur = m.V
	m.Patch = nil // up to patchBudget each; a catch-up reloads instead
	h.history = append(h.history, m)
	if len(h.history) > historyLen {
		h.history = slices.Delete(h.history, 0, len(h.history)-historyLen)
	}
	for c := range h.subs {
		select {
		case c <- msg:
		default:
		}
	}
}

// eventWriteTimeout drops a client that does not take an event in time.
const eventWriteTimeout = 10 * time.Second

// serveEvents is the Server-Sent Events stream of reload events.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	send := func(msg string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(eventWriteTimeout))
		if _, err := io.WriteString(w, msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	q := r.URL.Query()
	events, missed, cancel := s.hub.subscribe(q.Get("page"), q.Get("v"))
	defer cancel()
	if !send("retry: 1000\n\n") || (missed != "" && !send(missed)) {
		return
	}
	ping := time.NewTicker(30 * time.Second) // lets proxies and dead peers notice
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case msg := <-events:
			if !send(msg) {
				return
			}
		case <-ping.C:
			if !send(": ping\n\n") {
				return
			}
		}
	}
}
