package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// Settings → Catalogue: categories, services (duration, price, buffer, online flag,
// performers), archive and restore. Owners edit; Managers read; Staff are refused by
// the settings group.

// catalogueVM builds the catalogue page.
func (s *Server) catalogueVM(c echo.Context) (views.CatalogueVM, error) {
	v := venue(c)
	cat, err := s.concierge.Catalogue(c.Request().Context(), v.ID)
	if err != nil {
		return views.CatalogueVM{}, err
	}
	vm := views.CatalogueVM{CanEdit: member(c).CanManageTeam(), Errors: views.FieldErrors{}}
	for _, r := range cat.Categories {
		vm.Categories = append(vm.Categories, views.CategoryRowVM{ID: r.ID, Name: r.Name, Services: r.Services})
	}
	names := map[int64]string{}
	for _, st := range cat.Staff {
		names[st.ID] = st.Name
	}
	for _, sv := range cat.Services {
		row := views.ServiceRowVM{ID: sv.ID, Name: sv.Name, Category: sv.CategoryName, Time: fmt.Sprintf("%d min", sv.DurationMin),
			Price: salon.FormatMinor(v.Country, sv.PriceMinor), Online: sv.OnlineBookable, Archived: sv.Archived, Performers: "Nobody yet"}
		if sv.BufferMin > 0 {
			row.Time += fmt.Sprintf(" + %d min buffer", sv.BufferMin)
		}
		var who []string
		for _, id := range sv.StaffIDs {
			who = append(who, names[id])
		}
		if len(who) > 0 {
			row.Performers = strings.Join(who, ", ")
		}
		vm.Services = append(vm.Services, row)
	}
	for _, pk := range cat.Packages {
		vm.Packages = append(vm.Packages, views.PackageRowVM{ID: pk.ID, Name: pk.Name, Price: salon.FormatMinor(v.Country, pk.PriceMinor),
			Archived: pk.Archived, Services: strings.TrimSuffix(strings.TrimPrefix(salon.PackageLine(pk, cat.Services).Label, pk.Name+" ("), ")")})
	}
	return vm, nil
}

// Catalogue lists categories and services.
func (s *Server) Catalogue(c echo.Context) error {
	vm, err := s.catalogueVM(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CataloguePage(s.page(c, "Catalogue", "settings"), vm))
}

// SaveCategory creates a category, or renames the one in the path.
func (s *Server) SaveCategory(c echo.Context) error {
	v := venue(c)
	var id int64
	if c.Param("category") != "" {
		var err error
		if id, err = paramID(c, "category"); err != nil {
			return err
		}
	}
	name := c.FormValue("name")
	_, err := s.concierge.SaveCategory(c.Request().Context(), v.ID, user(c).ID, id, name)
	if err == nil {
		return redirectAfterPost(c, "/app/"+v.Slug+"/settings/catalogue?saved=catalogue")
	}
	fe := salon.FieldErrors(err)
	if fe == nil {
		return err
	}
	vm, verr := s.catalogueVM(c)
	if verr != nil {
		return verr
	}
	if id == 0 {
		vm.NewCategory, vm.Errors["name"] = name, fe["name"]
	} else {
		vm.Errors[fmt.Sprintf("category_%d", id)] = fe["name"]
		for i := range vm.Categories {
			if vm.Categories[i].ID == id {
				vm.Categories[i].Name = name
			}
		}
	}
	return render(c, http.StatusUnprocessableEntity, views.CataloguePage(s.page(c, "Catalogue", "settings"), vm))
}

// serviceFormVM is the form of a service (sv.ID 0: a new one) with the venue's
// categories and team.
func (s *Server) serviceFormVM(c echo.Context, sv salon.Service) (views.ServiceFormVM, error) {
	v := venue(c)
	cat, err := s.concierge.Catalogue(c.Request().Context(), v.ID)
	if err != nil {
		return views.ServiceFormVM{}, err
	}
	f := views.ServiceFormVM{CanEdit: member(c).CanManageTeam(), ID: sv.ID, Name: sv.Name, CategoryID: idText(sv.CategoryID),
		Duration: strconv.Itoa(sv.DurationMin), Buffer: strconv.Itoa(sv.BufferMin), Price: salon.FormatPriceInput(sv.PriceMinor),
		Currency: v.Country.Currency(), Online: sv.OnlineBookable, Archived: sv.Archived, Errors: views.FieldErrors{}}
	if sv.ID == 0 && sv.DurationMin == 0 {
		f.Duration, f.Price = "", ""
	}
	fillServiceChoices(&f, cat, sv.StaffIDs)
	for _, vr := range sv.Variants {
		f.Variants = append(f.Variants, views.VariantRowVM{ID: vr.ID, Name: vr.Name, Archived: vr.Archived,
			Extra: fmt.Sprintf("+%d min · +%s", vr.ExtraMin, salon.FormatMinor(v.Country, vr.ExtraPriceMinor))})
	}
	f.NewVariant.ExtraMin, f.NewVariant.ExtraPrice = "0", "0.00"
	return f, nil
}

func fillServiceChoices(f *views.ServiceFormVM, cat app.Catalogue, staffIDs []int64) {
	f.Categories = nil
	for _, r := range cat.Categories {
		f.Categories = append(f.Categories, views.Option{Value: idText(r.ID), Label: r.Name, Selected: idText(r.ID) == f.CategoryID})
	}
	chosen := map[int64]bool{}
	for _, id := range staffIDs {
		chosen[id] = true
	}
	f.Staff = nil
	for _, st := range cat.Staff {
		f.Staff = append(f.Staff, views.StaffChoice{ID: st.ID, Name: st.Name, Checked: chosen[st.ID], Active: st.Active})
	}
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// NewServiceForm shows an empty service form (Owner).
func (s *Server) NewServiceForm(c echo.Context) error {
	f, err := s.serviceFormVM(c, salon.Service{OnlineBookable: true})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ServicePage(s.page(c, "New service", "settings"), f))
}

// ServiceForm shows one service: its form for the Owner, its details for a Manager.
func (s *Server) ServiceForm(c echo.Context) error {
	id, err := paramID(c, "service")
	if err != nil {
		return err
	}
	sv, err := s.concierge.CatalogueService(c.Request().Context(), venue(c).ID, id)
	if err != nil {
		return err
	}
	f, err := s.serviceFormVM(c, sv)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ServicePage(s.page(c, sv.Name, "settings"), f))
}

// SaveService creates a service, or updates the one in the path. Every field's
// problem is shown beside it and nothing is saved.
func (s *Server) SaveService(c echo.Context) error {
	v := venue(c)
	ctx := c.Request().Context()
	var id int64
	var existing salon.Service
	if c.Param("service") != "" {
		var err error
		if id, err = paramID(c, "service"); err != nil {
			return err
		}
		if existing, err = s.concierge.CatalogueService(ctx, v.ID, id); err != nil {
			return err
		}
	}
	archived := existing.Archived
	form, _ := c.FormParams()
	f := views.ServiceFormVM{CanEdit: true, ID: id, Name: form.Get("name"), CategoryID: form.Get("category_id"), Duration: form.Get("duration_min"),
		Buffer: form.Get("buffer_min"), Price: form.Get("price"), Currency: v.Country.Currency(), Online: form.Get("online_bookable") == "true",
		Archived: archived, Errors: views.FieldErrors{}}
	in := salon.ServiceInput{Name: f.Name, OnlineBookable: f.Online}
	in.CategoryID, _ = strconv.ParseInt(f.CategoryID, 10, 64)
	for _, raw := range form["staff"] {
		st, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			st = -1 // not one of the venue's: refused by the records check
		}
		in.StaffIDs = append(in.StaffIDs, st)
	}
	var err error
	if in.DurationMin, err = strconv.Atoi(strings.TrimSpace(f.Duration)); err != nil {
		f.Errors["duration_min"] = salon.MsgServiceDuration
	}
	if strings.TrimSpace(f.Buffer) == "" {
		in.BufferMin = 0
	} else if in.BufferMin, err = strconv.Atoi(strings.TrimSpace(f.Buffer)); err != nil {
		f.Errors["buffer_min"] = salon.MsgServiceBuffer
	}
	if in.PriceMinor, err = salon.ParseDecimal(f.Price, 2); err != nil {
		f.Errors["price"] = salon.MsgCataloguePrice
	}
	if len(f.Errors) == 0 {
		newID, err := s.concierge.SaveService(ctx, v.ID, user(c).ID, id, in)
		if err == nil {
			return redirectAfterPost(c, fmt.Sprintf("/app/%s/settings/catalogue/services/%d?saved=service", v.Slug, newID))
		}
		fe := salon.FieldErrors(err)
		if fe == nil {
			return err
		}
		for k, m := range fe {
			f.Errors[k] = m
		}
	} else {
		// A number that did not parse stops the save; the other fields still get their
		// messages, all at once (references are checked when the form saves).
		for k, m := range salon.FieldErrors(in.Validate(salon.ServiceRecords{CategoryFound: in.CategoryID > 0, StaffFound: true})) {
			if _, bad := f.Errors[k]; !bad {
				f.Errors[k] = m
			}
		}
	}
	cat, cerr := s.concierge.Catalogue(ctx, v.ID)
	if cerr != nil {
		return cerr
	}
	fillServiceChoices(&f, cat, in.StaffIDs)
	if id != 0 {
		saved, err := s.serviceFormVM(c, existing)
		if err != nil {
			return err
		}
		f.Variants, f.NewVariant = saved.Variants, saved.NewVariant
	}
	title := f.Name
	if id == 0 {
		title = "New service"
	}
	return render(c, http.StatusUnprocessableEntity, views.ServicePage(s.page(c, title, "settings"), f))
}

// ArchiveService archives (archived=true) or restores a service.
func (s *Server) ArchiveService(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "service")
	if err != nil {
		return err
	}
	archived := c.FormValue("archived") == "true"
	if err := s.concierge.SetServiceArchived(c.Request().Context(), v.ID, user(c).ID, id, archived); err != nil {
		return err
	}
	key := "restored"
	if archived {
		key = "archived"
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/settings/catalogue?saved=%s", v.Slug, key))
}

// AddVariant adds an option to the service in the path; its problems are shown beside
// the option's fields and nothing is saved.
func (s *Server) AddVariant(c echo.Context) error {
	v := venue(c)
	ctx := c.Request().Context()
	id, err := paramID(c, "service")
	if err != nil {
		return err
	}
	sv, err := s.concierge.CatalogueService(ctx, v.ID, id)
	if err != nil {
		return err
	}
	nv := views.VariantFormVM{Name: c.FormValue("variant_name"), ExtraMin: strings.TrimSpace(c.FormValue("extra_min")),
		ExtraPrice: c.FormValue("extra_price"), Errors: views.FieldErrors{}}
	in := salon.VariantInput{Name: nv.Name}
	if in.ExtraMin, err = strconv.Atoi(nv.ExtraMin); err != nil {
		in.ExtraMin = -1 // refused by the rule, with its message
	}
	if in.ExtraPriceMinor, err = salon.ParseDecimal(nv.ExtraPrice, 2); err != nil {
		in.ExtraPriceMinor = -1
	}
	_, err = s.concierge.SaveVariant(ctx, v.ID, user(c).ID, id, 0, in)
	if err == nil {
		return redirectAfterPost(c, fmt.Sprintf("/app/%s/settings/catalogue/services/%d?saved=service", v.Slug, id))
	}
	fe := salon.FieldErrors(err)
	if fe == nil {
		return err
	}
	f, err := s.serviceFormVM(c, sv)
	if err != nil {
		return err
	}
	nv.Errors = fe
	f.NewVariant = nv
	return render(c, http.StatusUnprocessableEntity, views.ServicePage(s.page(c, sv.Name, "settings"), f))
}

// ArchiveVariant archives (archived=true) or restores an option of the service.
func (s *Server) ArchiveVariant(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "service")
	if err != nil {
		return err
	}
	vid, err := paramID(c, "variant")
	if err != nil {
		return err
	}
	if err := s.concierge.SetVariantArchived(c.Request().Context(), v.ID, user(c).ID, id, vid, c.FormValue("archived") == "true"); err != nil {
		return err
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/settings/catalogue/services/%d?saved=service", v.Slug, id))
}

// packageForm fills a package form's service choices from the catalogue.
func packageForm(f views.PackageFormVM, cat app.Catalogue, chosen []int64) views.PackageFormVM {
	in := map[int64]bool{}
	for _, id := range chosen {
		in[id] = true
	}
	f.Services = nil
	for _, sv := range cat.Services {
		if sv.Archived && !in[sv.ID] {
			continue
		}
		f.Services = append(f.Services, views.ServiceOption{ID: sv.ID, Name: sv.Name, Category: sv.CategoryName, Checked: in[sv.ID], Label: sv.Name})
	}
	return f
}

// NewPackageForm shows an empty package form (Owner).
func (s *Server) NewPackageForm(c echo.Context) error {
	v := venue(c)
	cat, err := s.concierge.Catalogue(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	f := packageForm(views.PackageFormVM{CanEdit: true, Currency: v.Country.Currency(), Errors: views.FieldErrors{}}, cat, nil)
	return render(c, http.StatusOK, views.PackagePage(s.page(c, "New package", "settings"), f))
}

// PackageForm shows one package: its form for the Owner, its details for a Manager.
func (s *Server) PackageForm(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "package")
	if err != nil {
		return err
	}
	pk, err := s.concierge.CataloguePackage(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	cat, err := s.concierge.Catalogue(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	f := packageForm(views.PackageFormVM{CanEdit: member(c).CanManageTeam(), ID: pk.ID, Name: pk.Name, Price: salon.FormatPriceInput(pk.PriceMinor),
		Currency: v.Country.Currency(), Archived: pk.Archived, Errors: views.FieldErrors{}}, cat, pk.ServiceIDs)
	return render(c, http.StatusOK, views.PackagePage(s.page(c, pk.Name, "settings"), f))
}

// SavePackage creates a package, or updates the one in the path; problems are shown
// beside their fields and nothing is saved.
func (s *Server) SavePackage(c echo.Context) error {
	v := venue(c)
	ctx := c.Request().Context()
	var id int64
	var archived bool
	if c.Param("package") != "" {
		var err error
		if id, err = paramID(c, "package"); err != nil {
			return err
		}
		pk, err := s.concierge.CataloguePackage(ctx, v.ID, id)
		if err != nil {
			return err
		}
		archived = pk.Archived
	}
	form, _ := c.FormParams()
	f := views.PackageFormVM{CanEdit: true, ID: id, Name: form.Get("name"), Price: form.Get("price"), Currency: v.Country.Currency(),
		Archived: archived, Errors: views.FieldErrors{}}
	in := salon.PackageInput{Name: f.Name}
	for _, raw := range form["service"] {
		sid, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			sid = -1 // none of the venue's: refused with the services message
		}
		in.ServiceIDs = append(in.ServiceIDs, sid)
	}
	price, perr := salon.ParseDecimal(f.Price, 2)
	in.PriceMinor = price
	if perr != nil {
		in.PriceMinor = -1 // refused by the rule, with its message
	}
	newID, err := s.concierge.SavePackage(ctx, v.ID, user(c).ID, id, in)
	if err == nil {
		return redirectAfterPost(c, fmt.Sprintf("/app/%s/settings/catalogue/packages/%d?saved=package", v.Slug, newID))
	}
	fe := salon.FieldErrors(err)
	if fe == nil {
		return err
	}
	for k, m := range fe {
		f.Errors[k] = m
	}
	cat, cerr := s.concierge.Catalogue(ctx, v.ID)
	if cerr != nil {
		return cerr
	}
	f = packageForm(f, cat, in.ServiceIDs)
	title := f.Name
	if id == 0 {
		title = "New package"
	}
	return render(c, http.StatusUnprocessableEntity, views.PackagePage(s.page(c, title, "settings"), f))
}

// ArchivePackage archives (archived=true) or restores a package.
func (s *Server) ArchivePackage(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "package")
	if err != nil {
		return err
	}
	if err := s.concierge.SetPackageArchived(c.Request().Context(), v.ID, user(c).ID, id, c.FormValue("archived") == "true"); err != nil {
		return err
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/settings/catalogue?saved=package", v.Slug))
}
