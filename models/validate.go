package models

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"golang.org/x/text/language"
)

// Problem says what is wrong with one field: a code the views translate
// ("required", "max", "email", …) and its parameter, if any.
type Problem struct {
	Code  string
	Param string
}

// FieldErrors maps a field name (as in the forms) to its problem. A Store
// method that refuses a record returns FieldErrors and writes nothing.
type FieldErrors map[string]Problem

// Error lists the fields for logs.
func (fe FieldErrors) Error() string {
	fields := make([]string, 0, len(fe))
	for f, p := range fe {
		fields = append(fields, f+": "+p.Code)
	}
	slices.Sort(fields)
	return "invalid " + strings.Join(fields, ", ")
}

// Add records a problem on field unless it already has one.
func (fe FieldErrors) Add(field, code, param string) {
	if _, ok := fe[field]; !ok {
		fe[field] = Problem{Code: code, Param: param}
	}
}

// AsFieldErrors returns the FieldErrors inside err, if any.
func AsFieldErrors(err error) (FieldErrors, bool) {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}

// structValidator is the struct validator, built once on first use: it
// keeps what it learns of each struct type, safe for concurrent use.
var structValidator = sync.OnceValue(newValidator)

// newValidator builds the struct validator. Field names come from the
// `field` tag so errors name the form fields.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if name := f.Tag.Get("field"); name != "" {
			return name
		}
		return strings.ToLower(f.Name)
	})
	return v
}

// check validates x's struct tags and returns the problems, or nil.
func check(x any) FieldErrors {
	fe := FieldErrors{}
	err := structValidator().Struct(x)
	var verrs validator.ValidationErrors
	if errors.As(err, &verrs) {
		for _, v := range verrs {
			code := v.Tag()
			if code == "required_with" || code == "required_if" {
				code = "required"
			}
			if code == "min" && v.Kind() == reflect.Slice {
				// A list's minimum is a number of choices, not characters.
				code = "choose_min"
			}
			fe.Add(v.Field(), code, v.Param())
		}
	} else if err != nil {
		fe.Add("_", "invalid", fmt.Sprint(err))
	}
	return fe
}

// Err returns fe as an error when it has problems, nil otherwise.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// checkLang records a problem when lang is set but not a language tag.
func (fe FieldErrors) checkLang(lang string) {
	if lang == "" {
		return
	}
	if _, err := language.Parse(lang); err != nil {
		fe.Add("lang", "oneof", "")
	}
}

// Text fields hold no control characters: a bare CR, VT, ESC, DEL or any
// other C0 or C1 control in a title reaches the calendar feed, CSV files
// and mails, where a lenient reader may take it as the start of a line of
// its own (an injected "URL:" or "BEGIN:VALARM"). They are refused, not
// dropped: no browser sends one in a one-line field, so one there comes
// from a crafted request or a damaged spreadsheet cell, and its author
// should see where it is. Multi-line text (a description, a story) may
// hold TAB and LF, and its line ends are made LF first: browsers send a
// textarea's lines ending in CRLF.

// TextLines turns s's CRLF and lone CR line ends into LF, and trims it.
func TextLines(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.TrimSpace(s)
}

// HasControl reports whether s holds a control character text may not:
// any of C0, DEL and C1, except TAB and LF when multiline.
func HasControl(s string, multiline bool) bool {
	for _, r := range s {
		switch {
		case multiline && (r == '\t' || r == '\n'):
		case r < 0x20, r >= 0x7f && r <= 0x9f:
			return true
		}
	}
	return false
}

// checkText records a "control_chars" problem on field when s holds a
// control character its kind of text may not.
func (fe FieldErrors) checkText(field, s string, multiline bool) {
	if HasControl(s, multiline) {
		fe.Add(field, "control_chars", "")
	}
}
