package migrations

import "strings"

// statements splits a migration file at its semicolons, but for those
// inside a quoted string, a function's $$-quoted body or a trigger's
// BEGIN…END, and drops its -- comments. Each statement keeps its text
// otherwise, down to the tab: SQLite keeps a CREATE statement's text in
// sqlite_master.
func statements(text string) []string {
	var out []string
	var stmt strings.Builder
	quote := byte(0) // the quote a string is in: ' or ", or $ for $$
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote == '$':
			if strings.HasPrefix(text[i:], "$$") {
				quote = 0
				stmt.WriteString("$$")
				i++
				continue
			}
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case strings.HasPrefix(text[i:], "--"):
			// A comment runs to the end of its line, which stays.
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			i += end - 1
			continue
		case strings.HasPrefix(text[i:], "$$"):
			quote = '$'
			stmt.WriteString("$$")
			i++
			continue
		case c == '\'' || c == '"':
			quote = c
		case c == ';':
			s := strings.TrimSpace(stmt.String())
			upper := strings.ToUpper(s)
			if strings.HasPrefix(upper, "CREATE TRIGGER") && strings.Contains(upper, "BEGIN") && !strings.HasSuffix(upper, "END") {
				break // a statement of the trigger's body
			}
			if s != "" {
				out = append(out, s)
			}
			stmt.Reset()
			continue
		}
		stmt.WriteByte(c)
	}
	if s := strings.TrimSpace(stmt.String()); s != "" {
		out = append(out, s)
	}
	return out
}
