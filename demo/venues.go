package demo

import (
	"context"
	"fmt"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Password is the demo logins' password.
const Password = "concierge"

type demoVenue struct {
	Slug, Name, TZ string
	Country        salon.Country
	People         []demoPerson
	Clients        int
	Seed           uint64
	WalletE4       int64
}

type demoPerson struct {
	Email, Name string
	Role        salon.Role
}

var demoVenues = []demoVenue{
	{Slug: "bella", Name: "Bella Hair Co", TZ: "Australia/Sydney", Country: salon.AU, Clients: 1500, Seed: 7, WalletE4: 50_0000,
		People: []demoPerson{
			{"owner@bella.test", "Isabella Hart", salon.Owner},
			{"manager@bella.test", "Mia Chen", salon.Manager},
			{"staff@bella.test", "Sophie Turner", salon.Staff},
			{"staff2@bella.test", "Liam Brooks", salon.Staff},
		}},
	{Slug: "kiwi", Name: "Kiwi Cuts", TZ: "Pacific/Auckland", Country: salon.NZ, Clients: 1500, Seed: 11, WalletE4: 0,
		People: []demoPerson{
			{"owner@kiwi.test", "Aroha Ngata", salon.Owner},
			{"manager@kiwi.test", "James Wilson", salon.Manager},
			{"staff@kiwi.test", "Tane Parata", salon.Staff},
			{"staff2@kiwi.test", "Ella Fraser", salon.Staff},
		}},
}

// SeedDemo creates the demo venues with their people and two years of history. It
// does nothing when any venue exists already.
func SeedDemo(ctx context.Context, st *store.Store, now time.Time) error {
	existing, err := st.Venues(ctx)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}
	for _, dv := range demoVenues {
		v, err := st.CreateVenue(ctx, store.NewVenue{Slug: dv.Slug, Name: dv.Name, Country: dv.Country, TimeZone: dv.TZ})
		if err != nil {
			return fmt.Errorf("demo: venue %s: %w", dv.Slug, err)
		}
		var staffIDs []int64
		for _, p := range dv.People {
			u, err := st.AddUser(ctx, v.ID, 0, store.NewUser{Email: p.Email, Name: p.Name, Password: Password, Role: p.Role})
			if err != nil {
				return fmt.Errorf("demo: user %s: %w", p.Email, err)
			}
			m, err := st.Membership(ctx, u.ID, v.ID)
			if err != nil {
				return err
			}
			staffIDs = append(staffIDs, m.StaffID)
		}
		if _, err := Populate(ctx, st, v, Options{Clients: dv.Clients, Years: 2, Seed: dv.Seed, Now: now, Staff: 6,
			LoginStaff: staffIDs, Story: true}); err != nil {
			return fmt.Errorf("demo: populate %s: %w", dv.Slug, err)
		}
		if err := st.SeedBalances(ctx, v.ID, dv.WalletE4, 200); err != nil {
			return err
		}
	}
	return nil
}
