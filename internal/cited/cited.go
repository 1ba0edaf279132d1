// Package cited keeps the values commentary cites, as displayed, and finds
// those that changed since they were accepted. Commentary is written
// against numbers that then change (data re-exported, a late deal): the
// prose then contradicts the charts and nobody notices. The accepted
// values live in a small state file beside the content, written only by
// `funnel check --accept` and committed with the project, so a clean CI
// clone can tell.
package cited

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FileName is the state file, relative to the project folder.
const FileName = "content/.funnel-cited.json"

// Citation is what one embed of a commentary file showed.
type Citation struct {
	File string `json:"-"` // slash path relative to the project
	Line int    `json:"line"`
	// Embed names what is cited: `value conversion step=deals`.
	Embed string `json:"embed"`
	// Label is the short name used in warnings ("conversion").
	Label string `json:"-"`
	// Shown is what the reader saw: one text for a value, one
	// "row · column: text" per cell for a table or chart.
	Shown []string `json:"shown"`
}

// State is the accepted citations, by file.
type State struct {
	Version int                   `json:"version"`
	Files   map[string][]Citation `json:"files"`
}

// Load reads the state file of the project at dir. ok is false when
// there is none.
func Load(dir string) (st *State, ok bool, err error) {
	name := filepath.Join(dir, filepath.FromSlash(FileName))
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	st = &State{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err = dec.Decode(st); err != nil {
		return nil, false, fmt.Errorf("%s: %w (delete it and run funnel check --accept)", FileName, err)
	}
	if st.Version != 1 {
		return nil, false, fmt.Errorf("%s: unknown version %d", FileName, st.Version)
	}
	return st, true, nil
}

// New makes the state of the current citations.
func New(cur []Citation) *State {
	st := &State{Version: 1, Files: map[string][]Citation{}}
	for _, c := range cur {
		st.Files[c.File] = append(st.Files[c.File], c)
	}
	return st
}

// Save writes st as the project's state file (sorted, indented: it is
// committed and read in diffs). The temporary name ends in .tmp, which
// serve's watcher ignores, and so does it the state file itself.
func Save(dir string, st *State) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	name := filepath.Join(dir, filepath.FromSlash(FileName))
	if err = os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err = os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err = os.Rename(tmp, name); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// Stale is a citation whose value as displayed changed.
type Stale struct {
	Citation // as it is now (its line is the current one)
	// Key names the first differing cell of a table ("Deals · Count: "),
	// Old and New its text accepted and now.
	Key, Old, New string
	More          int // further texts of the same embed that changed
}

// ChartData starts the text recorded for a chart without a table: a
// digest of the numbers it draws.
const ChartData = "chart data "

func (s Stale) String() string {
	if strings.HasPrefix(s.Old, ChartData) {
		return fmt.Sprintf("%s:%d cites the %s, whose data changed", s.File, s.Line, s.Label)
	}
	more := ""
	if s.More > 0 {
		more = fmt.Sprintf(" (and %d more changed)", s.More)
	}
	if s.Key != "" {
		return fmt.Sprintf("%s:%d cites %s, %s%s — now %s%s", s.File, s.Line, s.Label, s.Key, s.Old, s.New, more)
	}
	return fmt.Sprintf("%s:%d cites %s %s — now %s%s", s.File, s.Line, s.Label, s.Old, s.New, more)
}

// Compare matches each current citation with the accepted one of the same
// file and embed (the nth occurrence with the nth, so moving a paragraph
// does not matter) and returns those whose display changed, in file and
// line order, and the number of current citations not accepted yet.
func Compare(st *State, cur []Citation) (stale []Stale, unrecorded int) {
	seen := map[string]int{}
	for _, c := range cur {
		key := c.File + "\x00" + c.Embed
		n := seen[key]
		seen[key]++
		old, ok := nth(st.Files[c.File], c.Embed, n)
		if !ok {
			unrecorded++
			continue
		}
		if s, changed := diff(c, old.Shown); changed {
			stale = append(stale, s)
		}
	}
	sort.SliceStable(stale, func(i, j int) bool {
		if stale[i].File != stale[j].File {
			return stale[i].File < stale[j].File
		}
		return stale[i].Line < stale[j].Line
	})
	return stale, unrecorded
}

func nth(list []Citation, embed string, n int) (Citation, bool) {
	for _, c := range list {
		if c.Embed == embed {
			if n == 0 {
				return c, true
			}
			n--
		}
	}
	return Citation{}, false
}

// diff compares what is shown now with what was accepted, text by text;
// a table is compared by its "row · column:" keys.
func diff(c Citation, old []string) (Stale, bool) {
	s := Stale{Citation: c}
	if len(c.Shown) == 1 && len(old) == 1 {
		if c.Shown[0] != old[0] {
			s.Old, s.New = old[0], c.Shown[0]
			return s, true
		}
		return s, false
	}
	before := map[string]string{}
	for _, t := range old {
		k, v := split(t)
		before[k] = v
	}
	changed := 0
	for _, t := range c.Shown {
		k, v := split(t)
		o, ok := before[k]
		delete(before, k)
		if ok && o == v {
			continue
		}
		if !ok {
			o = "(absent)"
		}
		if changed == 0 {
			s.Key, s.Old, s.New = k, o, v
		}
		changed++
	}
	gone := make([]string, 0, len(before)) // cells that went away
	for k := range before {
		gone = append(gone, k)
	}
	sort.Strings(gone)
	for _, k := range gone {
		if changed == 0 {
			s.Key, s.Old, s.New = k, before[k], "(absent)"
		}
		changed++
	}
	s.More = max(0, changed-1)
	return s, changed > 0
}

// split cuts a table text "row · column: value" after its key.
func split(t string) (key, val string) {
	if i := strings.LastIndex(t, ": "); i >= 0 {
		return t[:i+2], t[i+2:]
	}
	return "", t
}
