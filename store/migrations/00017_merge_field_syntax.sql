-- +goose Up
-- One merge-field syntax everywhere ({{FirstName}}, as the saved templates and settings
-- pages document): open drafts written with the older lower-case spellings are
-- rewritten. Sent actions keep their text as it was (their record); the send also
-- still fills the old spellings.
UPDATE actions SET
    body = replace(replace(replace(replace(replace(body, '{{name}}', '{{FirstName}}'), '{{service}}', '{{ServiceName}}'),
        '{{staff}}', '{{StaffName}}'), '{{date}}', '{{Date}}'), '{{deal_link}}', '{{DealLink}}'),
    subject = replace(replace(replace(replace(replace(subject, '{{name}}', '{{FirstName}}'), '{{service}}', '{{ServiceName}}'),
        '{{staff}}', '{{StaffName}}'), '{{date}}', '{{Date}}'), '{{deal_link}}', '{{DealLink}}')
WHERE status IN ('suggested', 'drafted', 'pending', 'approved', 'scheduled', 'executing');

-- +goose Down
SELECT 'down migrations are not supported';
