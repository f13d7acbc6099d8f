# Concierge in a container: a static binary (CGO_ENABLED=0; the SQLite driver is pure Go)
# in a minimal image that runs as a non-root user. Build and run:
#
#   docker build -t concierge .
#   docker run -d --name concierge -p 127.0.0.1:8080:8080 -v concierge-data:/data \
#     -e PUBLIC_URL=https://salon.example.com -e TRUST_PROXY=1 concierge
#
# The database is /data/concierge.db on the volume; back it up from the host with
#   docker exec concierge /concierge backup --db /data/concierge.db --to /data/backup-$(date +%F).db
# The build stage's commands are also in deploy/build-static.sh, which CI-less machines
# can run without Docker.

# htmx is pinned in package.json and embedded into the binary (see Makefile).
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/node_modules/htmx.org/dist/htmx.min.js static/htmx.min.js
# timetzdata embeds the zone database (venues' time zones) so the image needs none.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/concierge . \
 && mkdir -p /out/data

# distroless/static: CA certificates (Twilio, Resend, OpenAI over TLS), no shell, no
# package manager; "nonroot" is uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/concierge /concierge
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENV LOG_FORMAT=json
ENTRYPOINT ["/concierge"]
CMD ["serve", "--addr", ":8080", "--db", "/data/concierge.db"]
