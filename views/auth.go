package views

import "github.com/unesco-gnlc/learnthroughlife/models"

// LoginForm is what the login form posts.
type LoginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

// AccountPage is the data of the account page.
type AccountPage struct {
	Cities []models.City
	// PasswordErrors are the problems of a refused password change.
	PasswordErrors models.FieldErrors
}
