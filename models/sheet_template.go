package models

// SheetTemplate is an import's template as the views word it, for the
// importer to write as CSV (its rows only) or XLSX (a named data sheet,
// its lists and its instructions).
type SheetTemplate struct {
	// Name is the data sheet's name, in the reader's language.
	Name string
	// RightToLeft lays the sheets out right to left (Arabic).
	RightToLeft bool
	// Rows are the headings, then the example row.
	Rows [][]string
	// Lists are the values of the columns that take values from a list,
	// put on the sheet ListsName, one column each.
	Lists     []TemplateList
	ListsName string
	// Instructions are the rows of the sheet InstructionsName: a title,
	// notes (topic, "", text), then a table of the columns (heading,
	// required, what to write) whose first row is Instructions[ColumnsAt].
	Instructions     [][]string
	InstructionsName string
	ColumnsAt        int
	// ListWarningTitle and ListWarning are the warning a single-valued
	// column's cell gives for a value not in its list (it does not
	// block it: the import understands other languages' words too).
	ListWarningTitle, ListWarning string
}

// TemplateList is the list of values of a column of a template.
type TemplateList struct {
	// Column is the data column (0 for the first) that takes them.
	Column int
	// Heading heads the list on the lists sheet.
	Heading string
	Values  []string
	// Several: the cell takes several values, separated by "; ", which a
	// list cannot check: its cell offers the list without refusing
	// anything, and says so (Prompt).
	Several bool
	Prompt  string
}
