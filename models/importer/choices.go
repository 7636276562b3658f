package importer

import (
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// valueMap reads the cells of a file's enumerated columns: a cell the
// column does not know takes the value the user mapped it to, if any,
// and is noted in the plan's Unknown either way, once per value.
type valueMap struct {
	mapping map[string]map[string]string
	// seen indexes plan.Unknown by column and NormalizeHeader'd cell;
	// lastLine is the last line that counted in each one's Rows.
	seen     map[[2]string]int
	lastLine []int
	plan     *models.ImportPlan
	// line is the line of the row being read; quiet is set while the row
	// is left out: its cells are neither noted nor problems.
	line  int
	quiet bool
}

// resolve returns a cell's value: key, what the vocabulary read of the
// cell typed, when valid; else the value the cell is mapped to; else key,
// with the cell an unknown value among the row's problems.
func (m *valueMap) resolve(problems models.FieldErrors, column, typed, key string, valid bool) string {
	if valid {
		return key
	}
	id := [2]string{column, models.NormalizeHeader(typed)}
	to := m.mapping[column][id[1]]
	if m.quiet {
		if to != "" {
			return to
		}
		return key
	}
	i, ok := m.seen[id]
	if !ok {
		i = len(m.plan.Unknown)
		m.seen[id] = i
		m.plan.Unknown = append(m.plan.Unknown, models.ImportUnknown{Column: column, Value: id[1], Typed: strings.TrimSpace(typed), To: to})
		m.lastLine = append(m.lastLine, 0)
	}
	if m.lastLine[i] != m.line {
		m.lastLine[i] = m.line
		m.plan.Unknown[i].Rows++
	}
	if to != "" {
		return to
	}
	problems.Add(column, models.UnknownValue, strings.TrimSpace(typed))
	return key
}
