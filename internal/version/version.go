// Package version says which funnel this is, from what the Go toolchain
// stamps into every binary (runtime/debug.ReadBuildInfo): the module
// version (a tag for `go install …@v1.2.3`, a pseudo-version for a build
// in a git checkout) and the VCS revision when the build has one.
package version

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Set overrides the module version, for `-ldflags "-X
// github.com/funnel-report/funnel/internal/version.Set=v1.2.3"` (make
// release); empty means use the build info.
var Set = ""

// Info is what a binary knows about its own build.
type Info struct {
	Version  string // "v1.2.3", a pseudo-version, or "devel"
	Revision string // VCS commit, "" when the build had none
	Time     string // commit time, RFC 3339
	Modified bool   // built from a work tree with uncommitted changes
	Go       string // toolchain, "go1.26.0"
}

// Read returns the running binary's Info.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return From(bi)
}

// From extracts Info from build info (nil: nothing known).
func From(bi *debug.BuildInfo) Info {
	in := Info{Version: "devel"}
	if bi != nil {
		in.Go = bi.GoVersion
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			in.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				in.Revision = s.Value
			case "vcs.time":
				in.Time = s.Value
			case "vcs.modified":
				in.Modified = s.Value == "true"
			}
		}
	}
	if Set != "" {
		in.Version = Set
	}
	return in
}

// String is the one-line form exports and page footers carry:
// "v1.2.3", or "devel+abc123def456" / "devel+abc123def456-modified" when a
// development build knows its revision.
func (in Info) String() string {
	if in.Revision == "" || !strings.HasPrefix(in.Version, "devel") {
		return in.Version
	}
	s := in.Version + "+" + short(in.Revision)
	if in.Modified {
		s += "-modified"
	}
	return s
}

// Long is what `funnel version` prints below its first line.
func (in Info) Long() string {
	var b strings.Builder
	if in.Revision != "" {
		fmt.Fprintf(&b, "revision: %s", in.Revision)
		if in.Time != "" {
			fmt.Fprintf(&b, " (%s)", in.Time)
		}
		if in.Modified {
			b.WriteString(", with uncommitted changes")
		}
		b.WriteString("\n")
	}
	if in.Go != "" {
		fmt.Fprintf(&b, "go:       %s\n", in.Go)
	}
	return b.String()
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
