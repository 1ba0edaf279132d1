package serve

import (
	"io"
	"net/http"
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
    es = new EventSource("/__funnel/events?v=" + encodeURIComponent(v));
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

// hub fans reload events out to the open event streams.
type hub struct {
	mu   sync.Mutex
	subs map[chan string]struct{}
}

func newHub() *hub { return &hub{subs: map[chan string]struct{}{}} }

// subscribe returns a stream of events and its cancel function.
func (h *hub) subscribe() (<-chan string, func()) {
	c := make(chan string, 1)
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}
}

// broadcast never blocks: a client whose buffer is full already has a
// reload pending, which this one would only repeat. A client that stops
// reading is dropped by its write deadline in serveEvents.
func (h *hub) broadcast(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
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
	events, cancel := s.hub.subscribe()
	defer cancel()
	// Subscribed first, compared second: no build falls in between.
	if !send("retry: 1000\n\n") {
		return
	}
	if v := r.URL.Query().Get("v"); v != "" {
		if cur := s.versionOf(s.state.Load()); v != cur && !send(reloadMessage(cur, nil, nil, nil, true)) {
			return
		}
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
