package views

import (
	"context"
	"embed"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// The help pages (issue 33): short texts, one file a topic and language
// (help/events.fr.txt), in a plain form a translator can edit without
// markup: blocks are separated by blank lines; a block that starts with
// "## " is a heading, one whose lines all start with "- " a list, any
// other a paragraph. The text is escaped like any other.
//
//go:embed help/*.txt
var helpFiles embed.FS

// HelpTopics lists the help pages, in the order of the help index.
func HelpTopics() []string {
	return []string{"events", "import", "partners", "stories", "city-reports", "team"}
}

// IsHelpTopic reports whether topic names a help page.
func IsHelpTopic(topic string) bool { return slices.Contains(HelpTopics(), topic) }

// HelpURL is a help page's address.
func HelpURL(topic string) string { return "/help/" + topic }

// HelpBlock is a heading, a paragraph or a list of a help page.
type HelpBlock struct {
	Heading string
	Para    string
	Items   []string
}

// helpTexts holds every help page, parsed once: by "topic.lang".
var helpTexts = sync.OnceValues(func() (map[string][]HelpBlock, error) {
	out := map[string][]HelpBlock{}
	entries, err := helpFiles.ReadDir("help")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := helpFiles.ReadFile("help/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(e.Name(), ".txt")] = parseHelp(string(b))
	}
	return out, nil
})

// parseHelp reads a help file's blocks.
func parseHelp(s string) []HelpBlock {
	var out []HelpBlock
	for _, block := range regexp.MustCompile(`\n\s*\n`).Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), -1) {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		switch {
		case strings.HasPrefix(lines[0], "## "):
			out = append(out, HelpBlock{Heading: strings.TrimSpace(strings.TrimPrefix(strings.Join(lines, " "), "## "))})
		case strings.HasPrefix(lines[0], "- "):
			var b HelpBlock
			for _, l := range lines {
				if item, ok := strings.CutPrefix(strings.TrimSpace(l), "- "); ok {
					b.Items = append(b.Items, strings.TrimSpace(item))
				} else if len(b.Items) > 0 { // a long item wrapped
					b.Items[len(b.Items)-1] += " " + strings.TrimSpace(l)
				}
			}
			out = append(out, b)
		default:
			for i := range lines {
				lines[i] = strings.TrimSpace(lines[i])
			}
			out = append(out, HelpBlock{Para: strings.Join(lines, " ")})
		}
	}
	return out
}

// HelpText is a help page's text in lang, or in English when it has none
// in lang; nil for an unknown topic.
func HelpText(topic string, lang language.Tag) ([]HelpBlock, error) {
	texts, err := helpTexts()
	if err != nil {
		return nil, err
	}
	if b, ok := texts[topic+"."+lang.String()]; ok {
		return b, nil
	}
	if b, ok := texts[topic+".en"]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("no help text for %q", topic)
}

// HelpPage is a help page: its topic, its text in the page's language
// and the form it was opened from (Back, a path of /manage/, or "").
type HelpPage struct {
	Topic  string
	Blocks []HelpBlock
	Back   string
}

// HelpBack checks the path a help page was opened from: a page of
// /manage/ on this site (the forms that link to help), or "".
func HelpBack(s string) string {
	if len(s) > 200 || !strings.HasPrefix(s, "/manage/") || strings.ContainsAny(s, "\\?#%") || strings.Contains(s, "//") || strings.Contains(s, "..") {
		return ""
	}
	return s
}

// postedTo matches the address a form posts to where the page shown is
// the form itself, not the address (an event's or a partner's
// update posts to /manage/events/7, whose form is /manage/events/7/edit).
var postedTo = regexp.MustCompile(`^/manage/(events|partners)/\d+$`)

// helpLinkURL is the address of a help page, with the page it is opened
// from to come back to.
func helpLinkURL(topic, from string) string {
	if postedTo.MatchString(from) {
		from += "/edit"
	}
	if from = HelpBack(from); from == "" {
		return HelpURL(topic)
	}
	return HelpURL(topic) + "?back=" + url.QueryEscape(from)
}

// helpHome is the first crumb of a help page: the signed-in user's home,
// or the site's.
func helpHome(ctx context.Context) crumb {
	if req(ctx).User != nil {
		return crumb{Href: "/dashboard", Label: T(ctx, "nav.dashboard")}
	}
	return crumb{Href: "/", Label: T(ctx, "help.home")}
}
