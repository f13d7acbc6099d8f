// Package salon is the domain at the centre of Concierge: the types a salon works with
// and the rules that govern them, with no dependency on storage, HTTP or providers.
//
// The rules and their numbers:
//
//   - A venue is in AU, GB or NZ. Its currency follows its country (AUD, GBP, NZD).
//     AU and GB venues message clients by SMS; NZ venues are email-only: SMS is never
//     sent there and SMS costs zero.
//   - Quiet hours default to 20:00–09:00 venue time; no marketing message goes out inside them.
//   - Money is integer: prices, bookings and top-ups in minor units (cents, pence);
//     SMS prices, message costs and the wallet in ten-thousandths of the currency unit
//     ("e4"), because a segment costs fractions of a cent (AU A$0.0723 = 723 e4,
//     GB £0.04 = 400 e4, NZ 0). Totals are rounded to minor units only for display.
//   - An SMS is split into segments: GSM-7 text fits 160 characters in one segment and
//     153 per segment when longer; anything outside GSM-7 is UCS-2 with 70 and 67.
//     Cost = segments × the country's per-segment price.
//   - Roles are per venue: Owner, Manager, Staff. Manage Waitlist is on for Owner and
//     Manager and settable for Staff. A solo venue (flagged, one active staff member)
//     bypasses every approval.
//   - "Recently messaged" (batch audiences) is any outbound message in the last 30 days,
//     marketing or transactional, a send in an unknown state included; only one the
//     provider refused does not count (Message.CountsAsRecentlyMessaged).
//   - STOP words (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT) opt a
//     client out of SMS; START and UNSTOP opt them back in.
//   - A reply to a gap offer is read tolerantly: "yes please!", "Yes :)", "yep", "Y"
//     accept; a yes with anything else in it ("yes but at 3?") is unclear and earns one
//     short question per offer, never a booking. The first YES wins the slot.
//   - Each venue texts from its own number or the instance's default; venues may share
//     one. Staff see only their own Concierge actions, Owners and Managers all of them;
//     incomplete-booking notices reach only members with Manage Waitlist.
//   - Reachability (Client.Reach), one rule for every send: a client opted out of a
//     channel gets nothing on it (but the confirmation of that opt-out); a blocked client
//     gets nothing; no address, nothing; a channel whose notifications the client turned
//     off ("muted") gets no notifications (reminders, reschedule notices), while
//     answers to what the client just did (a reply, their booking's confirmation, a
//     sign-in code) still go and marketing follows the opt-outs.
//   - No marketing (batches, gap offers, follow-ups, nudges) goes to a client whose inbox
//     conversation is not closed (HoldsMarketing).
//   - Nothing is queued that would go out broken (CheckOutbound): no text, an email
//     without a subject, a merge field with no value, a sentence ending in ":" with
//     nothing after it; and no batch goes to 0 recipients.
//   - A delivery status only moves forward: queued → sending → sent → delivered | failed.
package salon
