package models

import "slices"

// Role is what a user may do: staff everything, coordinators their cities.
type Role string

// The roles.
const (
	RoleStaff       Role = "staff"
	RoleCoordinator Role = "coordinator"
)

// Roles lists the valid roles.
func Roles() []Role { return []Role{RoleStaff, RoleCoordinator} }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Region is a UNESCO region.
type Region string

// The five UNESCO regions.
const (
	RegionAfrica       Region = "africa"
	RegionArabStates   Region = "arab-states"
	RegionAsiaPacific  Region = "asia-pacific"
	RegionEuropeNA     Region = "europe-north-america"
	RegionLatinAmerica Region = "latin-america-caribbean"
)

// Regions lists the valid regions in display order.
func Regions() []Region {
	return []Region{RegionAfrica, RegionArabStates, RegionAsiaPacific, RegionEuropeNA, RegionLatinAmerica}
}

// Valid reports whether r is one of Regions.
func (r Region) Valid() bool { return slices.Contains(Regions(), r) }

// Sector is the kind of organisation a partner is.
type Sector string

// The partner sectors.
const (
	SectorPublic      Sector = "public"
	SectorCivil       Sector = "civil-society"
	SectorEmployer    Sector = "employer"
	SectorEducation   Sector = "education"
	SectorCultural    Sector = "cultural"
	SectorMedia       Sector = "media"
	SectorOtherSector Sector = "other"
)

// Sectors lists the valid partner sectors in display order.
func Sectors() []Sector {
	return []Sector{SectorPublic, SectorCivil, SectorEmployer, SectorEducation, SectorCultural, SectorMedia, SectorOtherSector}
}

// Valid reports whether s is one of Sectors.
func (s Sector) Valid() bool { return slices.Contains(Sectors(), s) }

// EventFormat is how an event is attended.
type EventFormat string

// The event formats.
const (
	FormatInPerson EventFormat = "in-person"
	FormatOnline   EventFormat = "online"
	FormatHybrid   EventFormat = "hybrid"
)

// EventFormats lists the valid formats.
func EventFormats() []EventFormat { return []EventFormat{FormatInPerson, FormatOnline, FormatHybrid} }

// Valid reports whether f is one of EventFormats.
func (f EventFormat) Valid() bool { return slices.Contains(EventFormats(), f) }

// EventStatus is where an event is in its life.
type EventStatus string

// The event statuses.
const (
	StatusPlanned   EventStatus = "planned"
	StatusHeld      EventStatus = "held"
	StatusCancelled EventStatus = "cancelled"
)

// EventStatuses lists the valid statuses.
func EventStatuses() []EventStatus {
	return []EventStatus{StatusPlanned, StatusHeld, StatusCancelled}
}

// Valid reports whether s is one of EventStatuses.
func (s EventStatus) Valid() bool { return slices.Contains(EventStatuses(), s) }

// LearningArea is one of the six building blocks of UNESCO's Key Features
// of Learning Cities.
type LearningArea string

// The six building blocks.
const (
	AreaEducationSystem LearningArea = "education-system"
	AreaFamilies        LearningArea = "families-communities"
	AreaWorkplace       LearningArea = "workplace"
	AreaTechnologies    LearningArea = "technologies"
	AreaQuality         LearningArea = "quality"
	AreaCulture         LearningArea = "culture"
)

// LearningAreas lists the building blocks in the framework's order.
func LearningAreas() []LearningArea {
	return []LearningArea{AreaEducationSystem, AreaFamilies, AreaWorkplace, AreaTechnologies, AreaQuality, AreaCulture}
}

// Valid reports whether a is one of LearningAreas.
func (a LearningArea) Valid() bool { return slices.Contains(LearningAreas(), a) }

// AgeGroup is a band of learners' ages.
type AgeGroup string

// The age groups.
const (
	AgeChildren    AgeGroup = "children"
	AgeYouth       AgeGroup = "youth"
	AgeAdults      AgeGroup = "adults"
	AgeOlderAdults AgeGroup = "older-adults"
)

// AgeGroups lists the age groups from youngest to oldest.
func AgeGroups() []AgeGroup { return []AgeGroup{AgeChildren, AgeYouth, AgeAdults, AgeOlderAdults} }

// Valid reports whether g is one of AgeGroups.
func (g AgeGroup) Valid() bool { return slices.Contains(AgeGroups(), g) }

// ParticipantsField names the participants of age group g in the event
// form and in import files.
func (g AgeGroup) ParticipantsField() string { return "participants_" + string(g) }
