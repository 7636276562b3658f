package models

import (
	"slices"
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
	// The sign-in actions: the entity is the user (id 0 for an email that
	// names no account), the summary the account's email and the address.
	AuditSignIn          AuditAction = "sign_in"
	AuditSignInFailed    AuditAction = "sign_in_failed"
	AuditSignInThrottled AuditAction = "sign_in_throttled"
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
)

// Valid reports whether a is one of AuditActions.
func (a AuditAction) Valid() bool { return slices.Contains(AuditActions(), a) }

// AuditActions lists every action the log records.
func AuditActions() []AuditAction {
	return []AuditAction{AuditCreate, AuditUpdate, AuditDelete, AuditMove, AuditSubmit, AuditWithdraw, AuditErase,
		AuditSave, AuditResubmit, AuditRequestChanges, AuditApprove,
		AuditPublish, AuditReject, AuditFeature, AuditUnfeature, AuditUnpublish,
		AuditSignIn, AuditSignInFailed, AuditSignInThrottled,
		AuditInvite, AuditResendInvitation, AuditRevokeInvitation, AuditAcceptInvitation,
		AuditDisable, AuditEnable, AuditPasswordReset, AuditPasswordChange, AuditSignOutEverywhere,
		AuditTwoFactorOn, AuditTwoFactorOff, AuditRecoveryCode,
		AuditArchive, AuditRestore}
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
}

// AuditFilter narrows the audit log. Empty CityIDs with AllCities false
// matches nothing, so a coordinator with no city sees no entries.
type AuditFilter struct {
	AllCities bool
	CityIDs   []uint
	// ChangesOnly leaves out sign-in attempts, which change nothing.
	ChangesOnly bool
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
