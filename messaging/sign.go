package messaging

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
)

func hmacSHA1Base64(key, msg string) string {
	m := hmac.New(sha1.New, []byte(key))
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
