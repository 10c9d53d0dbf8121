/**
 * « Journal d'audit » (Settings > Global): the audit log for super administrators, newest first,
 * filtered by user, action and dates, with its CSV export (GET /admin/audit-logs, src/audit). The
 * server refuses every other role (403), which the page says.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page, useAuth, useFetchClient } from '@strapi/strapi/admin';

interface Entry {
  id: number;
  at: string;
  action: string;
  actor: { kind: string; id?: number | string | null; email?: string | null; name?: string | null } | null;
  ip: string | null;
  object: { type: string; id?: string | number | null; name?: string | null; locale?: string | null } | null;
  summary: string | null;
}

/** The actions, as the log names them and in French. */
export const ACTION_LABELS: Record<string, string> = {
  'admin.login': 'Connexion',
  'admin.login.failure': 'Connexion refusée',
  'admin.logout': 'Déconnexion',
  'admin.password.reset-request': 'Mot de passe oublié (demande)',
  'admin.password.reset': 'Mot de passe réinitialisé',
  'admin.password.change': 'Mot de passe changé',
  'admin.user.create': 'Compte créé',
  'admin.user.update': 'Compte modifié',
  'admin.user.delete': 'Compte supprimé',
  'admin.role.create': 'Rôle créé',
  'admin.role.update': 'Rôle modifié',
  'admin.role.permissions': 'Droits d’un rôle modifiés',
  'admin.role.delete': 'Rôle supprimé',
  'api-token.create': 'Jeton d’API créé',
  'api-token.update': 'Jeton d’API modifié',
  'api-token.regenerate': 'Jeton d’API régénéré',
  'api-token.revoke': 'Jeton d’API révoqué',
  'transfer-token.create': 'Jeton de transfert créé',
  'transfer-token.regenerate': 'Jeton de transfert régénéré',
  'transfer-token.revoke': 'Jeton de transfert révoqué',
  'webhook.create': 'Webhook créé',
  'webhook.update': 'Webhook modifié',
  'webhook.delete': 'Webhook supprimé',
  'webhook-subscription.create': 'Abonnement webhook créé',
  'webhook-subscription.update': 'Abonnement webhook modifié',
  'webhook-subscription.delete': 'Abonnement webhook supprimé',
  'webhook-subscription.secret-rotate': 'Secret de webhook renouvelé',
  'entry.publish': 'Publication',
  'entry.unpublish': 'Retrait de la publication',
  'entry.delete': 'Suppression',
  'entry.restore': 'Restauration d’une version',
  'entry.stage': 'Étape de relecture',
  'entry.schedule': 'Publication planifiée',
  'entry.schedule.cancel': 'Planification annulée',
  'entry.schedule.fail': 'Planification échouée',
  'media.delete': 'Fichier supprimé',
  'settings.locales': 'Langues modifiées',
  'settings.users-permissions': 'Réglages Utilisateurs et permissions',
  'settings.upload': 'Réglages de la médiathèque',
  'data-transfer.start': 'Transfert de données commencé',
  'data-transfer.end': 'Transfert de données terminé',
};

const PAGE_SIZE = 50;
const date = (iso: string) =>
  new Intl.DateTimeFormat('fr-LU', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Europe/Luxembourg',
  }).format(new Date(iso));
const who = (entry: Entry) => {
  const actor = entry.actor;
  if (!actor) return '—';
  if (actor.kind === 'script') return 'script (serveur)';
  if (actor.kind === 'anonymous') return 'anonyme';
  return [actor.name, actor.email].filter(Boolean).join(' · ') || `${actor.kind} ${actor.id ?? ''}`;
};
const what = (entry: Entry) => {
  const object = entry.object;
  if (!object) return '—';
  return [object.name, object.type, object.id, object.locale]
    .filter((part) => part !== null && part !== undefined && part !== '')
    .join(' · ');
};

function AuditLogPage() {
  const { get } = useFetchClient();
  const token = useAuth('AuditLogPage', (state) => state.token);
  const [filters, setFilters] = useState({ user: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ entries: Entry[]; pageCount: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const query = useCallback(
    () => Object.fromEntries(Object.entries(applied).filter(([, value]) => value !== '')),
    [applied],
  );

  useEffect(() => {
    get<{ data: Entry[]; meta: { pagination: { pageCount: number; total: number } } }>('/admin/audit-logs', {
      params: { ...query(), page, pageSize: PAGE_SIZE },
    }).then(
      ({ data }) => {
        setError(null);
        setResult({
          entries: data.data,
          pageCount: data.meta.pagination.pageCount,
          total: data.meta.pagination.total,
        });
      },
      (failure: { response?: { status?: number; data?: { error?: { message?: string } } } }) =>
        setError(
          failure.response?.status === 403
            ? 'Le journal d’audit est réservé aux super administrateurs.'
            : (failure.response?.data?.error?.message ?? 'Le journal n’a pas pu être lu.'),
        ),
    );
  }, [get, page, query]);

  const exportCsv = async () => {
    const params = new URLSearchParams({ ...query(), format: 'csv' });
    const backend = (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';
    const response = await fetch(`${backend}/admin/audit-logs?${params}`, {
      headers: { Authorization: `Bearer ${token ?? ''}` },
    });
    if (!response.ok) return setError('L’export n’a pas pu être fait.');
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `journal-audit-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  const input = (name: keyof typeof filters, label: string, hint: string, type = 'text') => (
    <Field.Root name={`audit-${name}`} hint={hint}>
      <Field.Label>{label}</Field.Label>
      <TextInput
        type={type}
        value={filters[name]}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
          setFilters({ ...filters, [name]: event.target.value })
        }
      />
      <Field.Hint />
    </Field.Root>
  );

  return (
    <Page.Main>
      <Page.Title>Journal d’audit</Page.Title>
      <Layouts.Header
        title="Journal d’audit"
        subtitle="Qui a fait quoi, quand et d’où : connexions, comptes, rôles, jetons, webhooks, publications, fichiers et réglages. Chaque entrée est chaînée à la précédente ; « npm run audit:verify » vérifie la chaîne."
        primaryAction={
          <Button variant="secondary" onClick={exportCsv} disabled={Boolean(error)}>
            Exporter en CSV
          </Button>
        }
      />
      <Layouts.Content>
        <Flex gap={4} alignItems="flex-end" paddingBottom={4} wrap="wrap">
          {input('user', 'Utilisateur', 'Adresse e-mail ou identifiant')}
          {input('action', 'Action', 'Par ex. admin.login, entry.publish')}
          {input('from', 'Du', 'Date de début', 'date')}
          {input('to', 'Au', 'Date de fin (incluse)', 'date')}
          <Button
            onClick={() => {
              setPage(1);
              setApplied(filters);
            }}
          >
            Filtrer
          </Button>
        </Flex>
        {error && (
          <Box padding={4} background="danger100" hasRadius>
            <Typography textColor="danger700">{error}</Typography>
          </Box>
        )}
        {result && !error && (
          <>
            <Table colCount={6} rowCount={result.entries.length + 1}>
              <Thead>
                <Tr>
                  {['Date', 'Action', 'Qui', 'Adresse', 'Objet', 'Détail'].map((header) => (
                    <Th key={header}>
                      <Typography variant="sigma">{header}</Typography>
                    </Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {result.entries.map((entry) => (
                  <Tr key={entry.id} data-action={entry.action}>
                    <Td>
                      <Typography>{date(entry.at)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{ACTION_LABELS[entry.action] ?? entry.action}</Typography>
                    </Td>
                    <Td>
                      <Typography>{who(entry)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{entry.ip ?? '—'}</Typography>
                    </Td>
                    <Td style={{ whiteSpace: 'normal' }}>
                      <Typography>{what(entry)}</Typography>
                    </Td>
                    <Td style={{ whiteSpace: 'normal' }}>
                      <Typography>{entry.summary ?? ''}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            <Flex justifyContent="space-between" paddingTop={4}>
              <Typography variant="pi" textColor="neutral600">
                {result.total} entrée(s)
              </Typography>
              <Flex gap={2}>
                <Button variant="tertiary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  Précédentes
                </Button>
                <Button
                  variant="tertiary"
                  disabled={page >= result.pageCount}
                  onClick={() => setPage(page + 1)}
                >
                  Suivantes
                </Button>
              </Flex>
            </Flex>
          </>
        )}
      </Layouts.Content>
    </Page.Main>
  );
}

export default AuditLogPage;
