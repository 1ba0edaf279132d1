package serve

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/site"
)

// handler routes the live-reload endpoints and the site.
func (s *Server) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			// DNS rebinding: a web page whose name now points at 127.0.0.1
			// must not read the report.
			http.Error(w, "forbidden host "+r.Host+": funnel serve answers to localhost only (see --bind)", http.StatusForbidden)
			return
		}
		if r.URL.Path == refreshPath {
			s.serveRefresh(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		switch r.URL.Path {
		case eventsPath:
			s.serveEvents(w, r)
		case reloadScriptPath:
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			_, _ = w.Write([]byte(reloadJS))
		default:
			s.serveSite(w, r)
		}
	})
}

// hostAllowed says whether a request may name host. Bound to loopback,
// the server answers only to loopback names; bound to other addresses,
// to any.
func (s *Server) hostAllowed(host string) bool {
	if ip, ok := s.ln.Addr().(*net.TCPAddr); !ok || !ip.IP.IsLoopback() {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sitePath maps a request to a file of the site. Anything that is not a
// plain path below the root is refused: dot segments, backslashes, NUL,
// encoded separators, empty segments. Folders map to their index.html.
func sitePath(r *http.Request) (string, bool) {
	p := r.URL.Path
	raw := strings.ToLower(r.URL.EscapedPath())
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") ||
		strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") {
		return "", false
	}
	rel := p[1:]
	segs := strings.Split(rel, "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." || (seg == "" && i != len(segs)-1) {
			return "", false
		}
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	return rel, true
}

// pageWriteTimeout bounds writing one page to a client.
const pageWriteTimeout = 30 * time.Second

// serveRefresh is the refresh key's endpoint: the watch loop queries the
// database sources again and rebuilds; the browsers reload as after an
// edit. It takes a POST with the X-Funnel header only, which a page of
// another site cannot send without a CORS preflight this server never
// grants, so no web page can make serve hammer a database.
func (s *Server) serveRefresh(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("X-Funnel") != "refresh" {
		http.Error(w, "forbidden: the refresh key sends X-Funnel: refresh", http.StatusForbidden)
		return
	}
	s.session.w.Refresh()
	w.WriteHeader(http.StatusAccepted)
}

// serveSite serves a file of the last good site. HTML gets the reload
// script and, after a failed build, the error banner.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(pageWriteTimeout))
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	rel, ok := sitePath(r)
	if !ok {
		s.serveMessage(w, s.state.Load(), http.StatusBadRequest, "Bad request path.")
		return
	}
	st, ok := s.ready(r, rel)
	if !ok {
		s.serveMessage(w, s.state.Load(), http.StatusServiceUnavailable, "The server is stopping.")
		return
	}
	if st.files == nil {
		msg := "The site has not been built yet."
		if st.err != nil {
			msg = "No build has succeeded yet. Fix the error below: this page reloads by itself."
		}
		s.serveMessage(w, st, http.StatusServiceUnavailable, msg)
		return
	}
	f, found := st.files[rel]
	if !found {
		if _, dir := st.files[rel+"/index.html"]; dir {
			// Relative links in a page need the trailing slash.
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		s.serveMessage(w, st, http.StatusNotFound, "No page "+rel+" in the site.")
		return
	}
	ctype := mime.TypeByExtension(path.Ext(rel))
	if f.Src != "" {
		// A download streamed to disk: served from there, never read
		// into memory.
		s.serveFile(w, r, rel, ctype, f)
		return
	}
	data := f.Data
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	h.Set("Content-Type", ctype)
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, s.snippet(st))
	}
	hash := fnv.New64a()
	hash.Write(data)
	h.Set("ETag", fmt.Sprintf(`"%x"`, hash.Sum64()))
	http.ServeContent(w, r, rel, time.Time{}, bytes.NewReader(data))
}

// ready returns the state to serve rel from: the current one, or, while
// rel (or the folder rel's index) is still to come in a build's later
// stage, the first state that has it. ok is false when the request ends
// or the server stops first.
func (s *Server) ready(r *http.Request, rel string) (*state, bool) {
	st := s.state.Load()
	if s.o.waiting != nil && (st.pending[rel] || st.pending[rel+"/index.html"]) {
		s.o.waiting(rel)
	}
	for st.pending[rel] || st.pending[rel+"/index.html"] {
		select {
		case <-st.next:
			st = s.state.Load()
		case <-r.Context().Done():
			return nil, false
		case <-s.done:
			return nil, false
		}
	}
	return st, true
}

// serveFile serves a file of the site that lives on disk (site.File.Src).
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rel, ctype string, f site.File) {
	in, err := os.Open(f.Src)
	if err != nil {
		s.serveMessage(w, s.state.Load(), http.StatusNotFound, "No file "+rel+" in the site.")
		return
	}
	defer in.Close()
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	// The file is never rewritten (a new export is a new file): its path
	// and size name its content.
	hash := fnv.New64a()
	fmt.Fprintf(hash, "%s\x00%d", f.Src, f.Size)
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, hash.Sum64()))
	http.ServeContent(w, r, rel, time.Time{}, in)
}

// serveMessage answers with a small HTML page that also reloads itself.
func (s *Server) serveMessage(w http.ResponseWriter, st *state, code int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	page := fmt.Sprintf("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%d %s</title></head>\n<body><h1>%d %s</h1><p>%s</p></body></html>\n",
		code, http.StatusText(code), code, http.StatusText(code), html.EscapeString(msg))
	_, _ = w.Write(inject([]byte(page), s.snippet(st)))
}

// snippet is what serve mode adds to every HTML page.
func (s *Server) snippet(st *state) []byte {
	var b bytes.Buffer
	if st.err != nil {
		b.WriteString(errorBanner(st.err, st.files != nil))
	} else if w := s.staleWarnings(st); len(w) > 0 {
		b.WriteString(staleBanner(w))
	}
	if st.databases {
		b.WriteString(refreshKey)
	}
	fmt.Fprintf(&b, "<script src=%q data-version=%q></script>\n", reloadScriptPath, s.versionOf(st))
	return b.Bytes()
}

// staleWarnings compares what the site's commentary cites with the
// accepted record, read afresh (funnel check --accept changes it without
// a rebuild; it is a small file).
func (s *Server) staleWarnings(st *state) []string {
	rec, ok, err := cited.Load(s.o.Build.Source)
	if err != nil {
		return []string{err.Error()}
	}
	if !ok {
		return nil
	}
	stale, _ := cited.Compare(rec, st.cited)
	out := make([]string, len(stale))
	for i, x := range stale {
		out[i] = x.String()
	}
	return out
}

// refreshKey queries the database sources again (reload.js does the
// click): serve otherwise answers them from .funnel-cache/ until their
// query or the config changes.
const refreshKey = `<button type="button" id="funnel-refresh" title="funnel serve answers database sources from .funnel-cache/ until their query changes; this asks them again and rebuilds" style="position:fixed;right:12px;top:12px;z-index:2147483645;padding:6px 12px;border:1px solid #1d39c4;border-radius:6px;background:#f0f5ff;color:#10239e;font:13px/1.3 system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.15)">↻ Query the databases again</button>` + "\n"

// staleBanner lists commentary citing values that changed. The text
// quotes commentary and data: it is escaped.
func staleBanner(warnings []string) string {
	return `<div id="funnel-stale" role="status" style="position:fixed;left:0;right:0;bottom:0;z-index:2147483646;max-height:40vh;overflow:auto;margin:0;padding:10px 16px;background:#fffbe6;color:#613400;border-top:4px solid #d48806;box-shadow:0 -4px 16px rgba(0,0,0,.2);font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left">` +
		`<button type="button" onclick="this.parentNode.remove()" aria-label="Hide" style="float:right;border:0;background:none;font:inherit;font-size:18px;line-height:1;cursor:pointer;color:inherit">×</button>` +
		`<strong>funnel: commentary cites values that changed (funnel check --accept records them once the text is right)</strong>` +
		`<pre style="margin:8px 0 0;white-space:pre-wrap;font:inherit">` + html.EscapeString(strings.Join(warnings, "\n")) + `</pre></div>` + "\n"
}

// errorBanner shows a failed build on top of the page. The error text
// quotes user files (CSV cells, Markdown): it is escaped.
func errorBanner(err error, stale bool) string {
	title := "funnel: the build failed"
	if stale {
		title += " — this is the last good site"
	}
	return `<div id="funnel-build-error" role="alert" style="position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:12px 16px;background:#fff1f0;color:#5c0011;border-top:4px solid #cf1322;box-shadow:0 -4px 16px rgba(0,0,0,.25);font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left">` +
		`<button type="button" onclick="this.parentNode.remove()" aria-label="Hide" style="float:right;border:0;background:none;font:inherit;font-size:18px;line-height:1;cursor:pointer;color:inherit">×</button>` +
		`<strong>` + html.EscapeString(title) + `</strong>` +
		`<pre style="margin:8px 0 0;white-space:pre-wrap;font:inherit">` + html.EscapeString(err.Error()) + `</pre></div>` + "\n"
}

// inject inserts snippet before the last </body> (any letter case), or
// appends it when there is none.
func inject(page, snippet []byte) []byte {
	at := lastIndexFold(page, "</body>")
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(snippet))
	out = append(out, page[:at]...)
	out = append(out, snippet...)
	return append(out, page[at:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case (without lowering a
// copy of the page, which could shift offsets in non-ASCII text).
func lastIndexFold(s []byte, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if strings.EqualFold(string(s[i:i+len(sub)]), sub) {
			return i
		}
	}
	return -1
}
