package models

// Page asks for one page of a list. Number starts at 1.
type Page struct {
	Number int
	Size   int
	// NoTotal skips counting the matches across pages, for a list that
	// shows no count or pager (Paged.Total stays 0).
	NoTotal bool
	// CountUpTo, for the lists that count only so far (the audit log),
	// overrides how far; 0 for the list's own limit.
	CountUpTo int64
}

// Normalized bounds the page to sane values.
func (p Page) Normalized() Page {
	if p.Size <= 0 || p.Size > 100 {
		p.Size = 20
	}
	if p.Number < 1 {
		p.Number = 1
	}
	return p
}

// Offset is how many items come before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// Paged is one page of results with the total count across pages.
type Paged[T any] struct {
	Items []T
	Total int64
	// AtLeast says that the matches were counted only up to Total, and
	// there are more.
	AtLeast bool
	Page    Page
}

// Pages is the number of pages needed for Total items; when the count
// stopped short (AtLeast), at least one more than a full page's number.
func (p Paged[T]) Pages() int {
	if p.Page.Size == 0 {
		return 1
	}
	n := int((p.Total + int64(p.Page.Size) - 1) / int64(p.Page.Size))
	if p.AtLeast && len(p.Items) == p.Page.Size {
		n = max(n, p.Page.Number+1)
	}
	return max(n, 1)
}
