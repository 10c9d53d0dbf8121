/**
 * In the edit view of a webhook subscription: a button that makes a new signing secret and shows
 * it once (POST /webhook-subscriptions/:documentId/secret, src/webhooks/admin-routes.ts). The
 * previous secret keeps signing for 24 hours, so that the partner can switch without losing a
 * delivery.
 */
import { useState } from 'react';
import { Box, Button, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { unstable_useContentManagerContext, useFetchClient, useNotification } from '@strapi/strapi/admin';

const SUBSCRIPTION_UID = 'api::webhook-subscription.webhook-subscription';

export function WebhookSecret() {
  const { model, id, isCreatingEntry } = unstable_useContentManagerContext();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (model !== SUBSCRIPTION_UID || isCreatingEntry || !id) return null;

  const rotate = async () => {
    const sure = window.confirm(
      'Créer un nouveau secret de signature ? L’ancien reste valable 24 heures, puis seul le nouveau signe les envois.',
    );
    if (!sure) return;
    setBusy(true);
    try {
      const { data } = await post<{ data: { secret: string } }>(`/webhook-subscriptions/${id}/secret`);
      setSecret(data.data.secret);
    } catch {
      toggleNotification({ type: 'danger', message: 'Le secret n’a pas pu être renouvelé.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box paddingTop={2} width="100%">
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Button variant="secondary" fullWidth loading={busy} onClick={rotate}>
          Nouveau secret de signature
        </Button>
        {secret && (
          <Field.Root
            name="webhook-secret"
            hint="Affiché une seule fois : copiez-le et transmettez-le au partenaire par un canal sûr."
          >
            <Field.Label>Secret de signature</Field.Label>
            <TextInput readOnly value={secret} onFocus={(event) => event.currentTarget.select()} />
            <Field.Hint />
          </Field.Root>
        )}
        {!secret && (
          <Typography variant="pi" textColor="neutral600">
            Le secret n&apos;est montré qu&apos;à sa création.
          </Typography>
        )}
      </Flex>
    </Box>
  );
}
