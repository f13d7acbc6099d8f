// Package demo generates believable, deterministic salon data: the two demo venues a
// new install starts with, and large fixtures for benchmarks. Every client has their own
// rhythm (cadence, favourite weekday, time band, stylist and categories), so the
// recovery engines have real patterns to find.
package demo

import "time"

// serviceDef is a service of the demo menu.
type serviceDef struct {
	Name, Category string
	Duration       int
	PriceMinor     int64
	Skill          skill
}

type skill int

const (
	hair skill = iota
	beauty
	massage
)

// menu is the demo venues' service menu across the five categories.
var menu = []serviceDef{
	{"Women's Cut & Blow Dry", "Cut & Style", 60, 9500, hair},
	{"Men's Cut", "Cut & Style", 30, 4500, hair},
	{"Blow Dry", "Cut & Style", 45, 6000, hair},
	{"Full Colour", "Colour", 120, 18000, hair},
	{"Half Head Foils", "Colour", 90, 16500, hair},
	{"Root Touch-Up", "Colour", 60, 9000, hair},
	{"Gel Manicure", "Nails", 45, 5500, beauty},
	{"Classic Pedicure", "Nails", 60, 6500, beauty},
	{"Brow Shape & Tint", "Brows & Lashes", 30, 4000, beauty},
	{"Lash Lift", "Brows & Lashes", 60, 8500, beauty},
	{"Relaxation Massage", "Massage", 60, 11000, massage},
	{"Deep Tissue Massage", "Massage", 90, 15000, massage},
}

// categoryMix is how often each category is a client's main one, and its base cadence
// in days.
var categoryMix = []struct {
	Category string
	Weight   int
	Cadence  int
}{
	{"Cut & Style", 46, 42},
	{"Colour", 22, 56},
	{"Nails", 14, 24},
	{"Brows & Lashes", 10, 35},
	{"Massage", 8, 45},
}

var firstNames = []string{"Olivia", "Charlotte", "Amelia", "Isla", "Mia", "Ava", "Grace", "Chloe", "Sophie", "Ruby",
	"Emily", "Zoe", "Harper", "Evie", "Lily", "Ella", "Matilda", "Sienna", "Willow", "Hannah", "Sarah", "Jessica",
	"Emma", "Lucy", "Georgia", "Holly", "Freya", "Poppy", "Alice", "Maya", "Jack", "Oliver", "Noah", "William",
	"Leo", "Henry", "Thomas", "James", "Lucas", "Charlie", "Oscar", "Archie", "Ethan", "Liam", "Samuel", "Daniel",
	"Aroha", "Manaia", "Priya", "Aisha", "Mei", "Yuki", "Fatima", "Sofia", "Elena", "Nina", "Tara", "Kate", "Megan", "Rose"}

var lastNames = []string{"Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin",
	"Anderson", "Thompson", "Nguyen", "Thomas", "Walker", "Harris", "Lee", "Ryan", "Robinson", "Kelly", "King",
	"Davis", "Wright", "Evans", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Singh",
	"Chen", "Wang", "Li", "Murphy", "O'Brien", "Campbell", "Stewart", "Scott", "Morris", "Cooper", "Ward", "Baker",
	"Ngata", "Parata", "Te Rangi", "Cohen", "Rossi", "Silva", "Kowalski", "Novak", "Fraser", "Hughes", "Price"}

// staffNames name generated staff beyond the demo logins.
var staffNames = []string{"Ava Nguyen", "Noah Patel", "Zara Ahmed", "Ethan Cole", "Luca Romano", "Hana Sato",
	"Grace Walsh", "Isaac Reid", "Maddie Fox", "Tom Becker", "Priya Raman", "Jade Kim"}

// shift is a weekly working pattern.
type shift struct {
	Day        time.Weekday
	Start, End int // minutes after midnight
}

// rosters are the weekly patterns staff are given in turn: Tuesday to Saturday with a
// late Thursday, or Monday to Friday with a late Wednesday.
var rosters = [][]shift{
	{{time.Tuesday, 540, 1020}, {time.Wednesday, 540, 1020}, {time.Thursday, 660, 1200}, {time.Friday, 540, 1020}, {time.Saturday, 480, 960}},
	{{time.Monday, 540, 1020}, {time.Tuesday, 540, 1020}, {time.Wednesday, 660, 1200}, {time.Thursday, 540, 1020}, {time.Friday, 540, 1020}},
	{{time.Wednesday, 540, 1020}, {time.Thursday, 660, 1200}, {time.Friday, 540, 1020}, {time.Saturday, 480, 960}, {time.Sunday, 600, 960}},
}

// inboxSamples are the conversations the demo inbox starts with.
var inboxSamples = []struct {
	Body, Status string
	HoursAgo     int
}{
	{"Hi! Could I move Friday's appointment to the afternoon?", "unread", 2},
	{"Do you have anything free Saturday morning for a cut?", "unread", 5},
	{"Thank you so much, I love my colour!", "open", 26},
	{"Running about 10 minutes late, so sorry!", "closed", 50},
	{"I was charged twice for my last visit, can someone call me?", "escalated", 20},
}
