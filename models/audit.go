package models

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Actor is who makes a change: a signed-in user, or the command line
// (UserID 0, Email "cli").
type Actor struct {
	UserID uint
	Email  string
}

// The actors that are not a signed-in user; audit entries name them in
// place of an email.
const (
	ActorCLI       = "cli"            // the command line
	ActorDemo      = "demo"           // the demo data
	ActorLearner   = "learner"        // a learner, who has no account
	ActorAnonymous = "anonymous"      // a sign-in attempt not yet tied to anyone
	ActorLedger    = "erasure ledger" // erasures replayed after a restore
	ActorRetention = "retention"      // the retention period's erasures
)

// SystemActors lists the actors that are not a signed-in user.
func SystemActors() []string {
	return []string{ActorCLI, ActorDemo, ActorLearner, ActorAnonymous, ActorLedger, ActorRetention}
}

// CLIActor is the actor for changes made from the command line.
func CLIActor() Actor { return Actor{Email: ActorCLI} }

// AuditAction is what was done to a record. Its values name catalog keys
// ("audit.action.<value>"), so every value needs a translation.
type AuditAction string

// The actions the audit log records.
const (
	AuditCreate         AuditAction = "create"
	AuditUpdate         AuditAction = "update"
	AuditDelete         AuditAction = "delete"
	AuditMove           AuditAction = "move"
	AuditSubmit         AuditAction = "submit"
	AuditWithdraw       AuditAction = "withdraw"
	AuditSave           AuditAction = "save"
	AuditResubmit       AuditAction = "resubmit"
	AuditRequestChanges AuditAction = "request_changes"
	AuditApprove        AuditAction = "approve"
	AuditPublish        AuditAction = AuditAction(ActionPublish)
	AuditReject         AuditAction = AuditAction(ActionReject)
	AuditFeature        AuditAction = AuditAction(ActionFeature)
	AuditUnfeature      AuditAction = AuditAction(ActionUnfeature)
	AuditUnpublish      AuditAction = AuditAction(ActionUnpublish)
	// AuditEdit: a story's words corrected by its moderators (the entry
	// names the fields, never the words).
	AuditEdit AuditAction = "edit"
	// The sign-in actions: the entity is the user (id 0 for an email that
	// names no account), the summary the account's email and the address.
	AuditSignIn          AuditAction = "sign_in"
	AuditSignInFailed    AuditAction = "sign_in_failed"
	AuditSignInThrottled AuditAction = "sign_in_throttled"
	// With two-factor sign-in on: the password was right and the code is
	// awaited (AuditPasswordAccepted), or a code was wrong
	// (AuditCodeRefused); AuditSignIn follows the right code.
	AuditPasswordAccepted AuditAction = "password_accepted"
	AuditCodeRefused      AuditAction = "code_refused"
	// AuditImport: a file imported; the entity is the kind of its rows
	// (id 0), the summary ImportSummary's, and each row's own entry is
	// part of it.
	AuditImport AuditAction = "import"
	// AuditErase: a story's content erased at the end of its retention
	// period, or again after a restore brought it back.
	AuditErase AuditAction = "erase"
	// People: invitations, accounts and passwords (the entity is the user).
	AuditInvite            AuditAction = "invite"
	AuditResendInvitation  AuditAction = "resend_invitation"
	AuditRevokeInvitation  AuditAction = "revoke_invitation"
	AuditAcceptInvitation  AuditAction = "accept_invitation"
	AuditDisable           AuditAction = "disable"
	AuditEnable            AuditAction = "enable"
	AuditPasswordReset     AuditAction = "password_reset"
	AuditPasswordChange    AuditAction = "password_change"
	AuditSignOutEverywhere AuditAction = "sign_out_everywhere"
	AuditTwoFactorOn       AuditAction = "two_factor_on"
	AuditTwoFactorOff      AuditAction = "two_factor_off"
	AuditRecoveryCode      AuditAction = "recovery_code"
	// AuditArchive and AuditRestore: a campaign archived or brought back.
	AuditArchive AuditAction = "archive"
	AuditRestore AuditAction = "restore"
	// AuditCheck: a coordinator looked at their city's public page and
	// said it is right (the first-day checklist; the entity is the city).
	AuditCheck AuditAction = "check"
	// AuditMailLanguage: a person chose the language of their mails.
	AuditMailLanguage AuditAction = "mail_language"
	// AuditInvitationLink: staff made a new invitation link to pass on
	// themselves; the earlier one stopped working.
	AuditInvitationLink AuditAction = "invitation_link"
	// AuditRemind: staff sent a city's coordinators a reminder of a report.
	AuditRemind AuditAction = "remind"
)

// Valid reports whether a is one of AuditActions.
func (a AuditAction) Valid() bool { return slices.Contains(AuditActions(), a) }

// AuditActions lists every action the log records.
func AuditActions() []AuditAction {
	return []AuditAction{AuditCreate, AuditUpdate, AuditDelete, AuditMove, AuditSubmit, AuditWithdraw, AuditErase,
		AuditSave, AuditResubmit, AuditRequestChanges, AuditApprove,
		AuditPublish, AuditReject, AuditFeature, AuditUnfeature, AuditUnpublish, AuditEdit,
		AuditSignIn, AuditSignInFailed, AuditSignInThrottled, AuditPasswordAccepted, AuditCodeRefused,
		AuditImport, AuditInvite, AuditResendInvitation, AuditRevokeInvitation, AuditAcceptInvitation,
		AuditDisable, AuditEnable, AuditPasswordReset, AuditPasswordChange, AuditSignOutEverywhere,
		AuditTwoFactorOn, AuditTwoFactorOff, AuditRecoveryCode,
		AuditArchive, AuditRestore, AuditCheck, AuditMailLanguage, AuditInvitationLink, AuditRemind}
}

// AuditEntity is the kind of record an audit entry is about. Its values
// name catalog keys ("audit.entity.<value>").
type AuditEntity string

// The kinds of record the audit log knows.
const (
	EntityCity       AuditEntity = "city"
	EntityUser       AuditEntity = "user"
	EntityEvent      AuditEntity = "event"
	EntityPartner    AuditEntity = "partner"
	EntityStory      AuditEntity = "story"
	EntityCityReport AuditEntity = "city_report"
	EntityCampaign   AuditEntity = "campaign"
	EntityGlobalDay  AuditEntity = "global_day"
	// EntityDocumentIntro is staff's introduction to the network
	// document of a period, in one language.
	EntityDocumentIntro AuditEntity = "document_intro"
)

// AuditEntities lists every kind of record the log knows.
func AuditEntities() []AuditEntity {
	return []AuditEntity{EntityCity, EntityUser, EntityEvent, EntityPartner, EntityStory, EntityCityReport, EntityCampaign, EntityGlobalDay, EntityDocumentIntro}
}

// AuditEntry records who did what to which record, and when.
type AuditEntry struct {
	ID        uint `gorm:"primaryKey"`
	UserID    *uint
	UserEmail string
	Action    AuditAction
	Entity    AuditEntity
	EntityID  uint
	CityID    *uint
	Summary   string
	CreatedAt time.Time
	// PartOf is the id of the entry of the bulk action (an import) this
	// change was part of; nil for a change made alone.
	PartOf *uint
}

// AuditFilter narrows the audit log. Empty CityIDs with AllCities false
// matches nothing, so a coordinator with no city sees no entries.
type AuditFilter struct {
	AllCities bool
	CityIDs   []uint
	// ChangesOnly leaves out sign-in attempts, which change nothing.
	ChangesOnly bool
	// Grouped leaves out the changes that were part of a bulk action,
	// whose own entry stands for them (the activity feed).
	Grouped bool
	// Who is an actor's email (or system actor name); Action one action;
	// From and To bound the time of the entry (To exclusive). Zero values
	// match everything.
	Who      string
	Action   AuditAction
	From, To time.Time
}

// AuditCountLimit is how far the audit log's matches are counted: the log
// of a network grows by millions of entries, and a count past this says
// little that narrower filters would not.
const AuditCountLimit = 10000

// SignInActions are the entries of sign-in attempts, which change nothing.
func SignInActions() []AuditAction {
	return []AuditAction{AuditSignIn, AuditSignInFailed, AuditSignInThrottled, AuditPasswordAccepted, AuditCodeRefused}
}

// ImportSummary is the summary of an import's entry: its counts and the
// file's name, which ParseImportSummary reads back.
func ImportSummary(creates, updates int, name string) string {
	return strconv.Itoa(creates) + " " + strconv.Itoa(updates) + " " + name
}

// ParseImportSummary reads an import entry's summary; ok is false for
// one that ImportSummary did not write.
func ParseImportSummary(s string) (creates, updates int, name string, ok bool) {
	parts := strings.SplitN(s, " ", 3)
	if len(parts) != 3 {
		return 0, 0, "", false
	}
	c, err1 := strconv.Atoi(parts[0])
	u, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || c < 0 || u < 0 {
		return 0, 0, "", false
	}
	return c, u, parts[2], true
}

// AuditNames are what the activity feed names entries by: people by
// their account's name, and records by their title or name now (a record
// deleted since is named by the entry's own summary). The maps are keyed
// by user id, and by entity and record id.
type AuditNames struct {
	People  map[uint]string
	Records map[AuditEntity]map[uint]string
}

// Record is the name of an entry's record now, if it has one.
func (n AuditNames) Record(e AuditEntity, id uint) (string, bool) {
	name, ok := n.Records[e][id]
	return name, ok
}
