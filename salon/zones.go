package salon

// CommonTimeZones are the IANA zones offered first when a venue picks its time zone:
// the countries Concierge serves (AU, GB, NZ) and the other English-speaking salon
// markets. Any other zone the binary knows (ValidTimeZone) is accepted when typed.
var CommonTimeZones = []string{
	"Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Adelaide", "Australia/Darwin",
	"Australia/Perth", "Australia/Hobart", "Australia/Canberra", "Australia/Lord_Howe",
	"Pacific/Auckland", "Pacific/Chatham",
	"Europe/London", "Europe/Dublin", "Europe/Guernsey", "Europe/Jersey", "Europe/Isle_of_Man", "Atlantic/Stanley", "Europe/Gibraltar",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
	"Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax",
	"America/St_Johns", "Africa/Johannesburg", "Asia/Singapore", "Asia/Hong_Kong", "Asia/Dubai", "Asia/Kolkata",
	"Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Pacific/Fiji", "UTC",
}
