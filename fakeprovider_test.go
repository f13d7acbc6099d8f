package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTwilio stands in for api.twilio.com so that a test can count what a real
// process, running its real Twilio sender, handed over. twilio-go has no base URL, so
// the process reaches it the way it would reach Twilio through a company proxy:
// HTTPS_PROXY names a CONNECT proxy that tunnels only to api.twilio.com:443, and
// SSL_CERT_FILE makes it trust the test authority that signed the fake's certificate.
// Every message created is logged by its To; hand-over number holdAt gets no answer
// until the caller hangs up, so a test can kill the process in the middle of it.
type fakeTwilio struct {
	env  []string    // the variables that point the binary at the fake
	held chan string // the To of the held hand-over, once it arrives

	mu        sync.Mutex
	n, holdAt int
	handovers map[string]int // To → messages created for it
	strays    []string       // anything the proxy refused to tunnel
}

func newFakeTwilio(t *testing.T, dir string, holdAt int) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{held: make(chan string, 1), holdAt: holdAt, handovers: map[string]int{}}
	caPEM, leaf := testCertificates(t)
	caFile := filepath.Join(dir, "fake-ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Messages.json") {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		to := r.PostFormValue("To")
		f.mu.Lock()
		f.n++
		n := f.n
		f.handovers[to]++
		f.mu.Unlock()
		if n == f.holdAt {
			f.held <- to
			select { // the process is killed while it waits
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]string{"sid": fmt.Sprintf("SMfake%026d", n), "status": "queued", "to": to,
			"from": r.PostFormValue("From"), "body": r.PostFormValue("Body")})
	}))
	api.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	api.StartTLS()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect || r.Host != "api.twilio.com:443" {
			f.mu.Lock()
			f.strays = append(f.strays, r.Method+" "+r.Host)
			f.mu.Unlock()
			http.Error(w, "this proxy only reaches the fake Twilio", http.StatusForbidden)
			return
		}
		up, err := net.Dial("tcp", api.Listener.Addr().String())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { io.Copy(up, buf); up.Close(); conn.Close() }()
		io.Copy(conn, up)
		up.Close()
		conn.Close()
	}))
	t.Cleanup(func() { close(release); proxy.Close(); api.Close() })
	f.env = []string{
		"TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000", "TWILIO_AUTH_TOKEN=faketoken", "TWILIO_FROM=+61400000000",
		"SMS_RATE_PER_SECOND=1000",
		"HTTPS_PROXY=" + proxy.URL, "https_proxy=" + proxy.URL, "NO_PROXY=", "no_proxy=",
		"SSL_CERT_FILE=" + caFile,
	}
	return f
}

// log returns the hand-overs so far (To → count) and anything the proxy refused.
func (f *fakeTwilio) log() (map[string]int, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := make(map[string]int, len(f.handovers))
	for to, n := range f.handovers {
		m[to] = n
	}
	return m, append([]string(nil), f.strays...)
}

// testCertificates makes a test certificate authority (returned as PEM) and a
// certificate for api.twilio.com that it signed.
func testCertificates(t *testing.T) ([]byte, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Concierge test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "api.twilio.com"}, DNSNames: []string{"api.twilio.com"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}
}
