package build

import (
	"fmt"

	"github.com/funnel-report/funnel/internal/markdown"
)

// OfflineWarnings lists commentary images loaded from other hosts, as
// "file:line: ..." lines: the site works offline (docs/design.md §5), and those
// images are missing there. A build succeeds with them; `funnel check`
// warns.
func OfflineWarnings(o Options) ([]string, error) {
	docs, err := loadContent(o)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range docs {
		for _, r := range markdown.RemoteImages(d.Body, d.BodyLine-1) {
			out = append(out, fmt.Sprintf("%s:%d: image from another host (%s): the site shows it only online; put the image in static/ and link it by path", d.Path, r.Line, r.URL))
		}
	}
	return out, nil
}
