/**
 * « Relecture »: a side panel of the edit view (the Content Manager's `addEditViewSidePanel`) with
 * the review stage of the entry in the locale shown (GET /admin/review/..., src/review/routes.ts)
 * and the moves the caller may make: who may edit it sends it « À relire » (with a comment); who
 * may publish it approves it or sends it back « En cours » with a comment. The server judges each
 * move; a refusal is said in a notification.
 */
import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { isHistoryUid } from '../../history/uids';

type Stage = 'draft' | 'review' | 'approved';
type Language = 'fr' | 'de' | 'en';
const TEXTS = {
  fr: {
    title: 'Relecture',
    stage: { draft: 'En cours', review: 'À relire', approved: 'Approuvé' },
    comment: 'Commentaire',
    commentHint: 'Facultatif ; dit à l’autre ce qu’il faut relire ou revoir.',
    submit: 'Envoyer en relecture',
    approve: 'Approuver',
    sendBack: 'Renvoyer (en cours)',
    moved: 'Étape : {stage}.',
    refused: 'Cette étape ne vous est pas permise.',
    unsaved: 'Enregistrez l’entrée pour la faire relire.',
  },
  de: {
    title: 'Durchsicht',
    stage: { draft: 'In Arbeit', review: 'Zur Durchsicht', approved: 'Freigegeben' },
    comment: 'Kommentar',
    commentHint: 'Optional; sagt, was durchzusehen oder zu ändern ist.',
    submit: 'Zur Durchsicht senden',
    approve: 'Freigeben',
    sendBack: 'Zurücksenden (in Arbeit)',
    moved: 'Schritt: {stage}.',
    refused: 'Dieser Schritt ist Ihnen nicht erlaubt.',
    unsaved: 'Speichern Sie den Eintrag, um ihn durchsehen zu lassen.',
  },
  en: {
    title: 'Review',
    stage: { draft: 'In progress', review: 'To review', approved: 'Approved' },
    comment: 'Comment',
    commentHint: 'Optional; says what to review or change.',
    submit: 'Send for review',
    approve: 'Approve',
    sendBack: 'Send back (in progress)',
    moved: 'Stage: {stage}.',
    refused: 'You may not make this move.',
    unsaved: 'Save the entry to have it reviewed.',
  },
};

interface State {
  stage: Stage;
  comment: string | null;
}

/** `version` changes with each save or publish of the entry: read again, keeping what is typed. */
function ReviewContent({
  model,
  documentId,
  locale,
  version,
}: {
  model: string;
  documentId: string;
  locale: string;
  version: string;
}) {
  const intl = useIntl();
  const language = (['fr', 'de', 'en'].includes(intl.locale) ? intl.locale : 'fr') as Language;
  const texts = TEXTS[language];
  const { get, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [state, setState] = useState<State | null>(null);
  const [rights, setRights] = useState({ mayUpdate: false, mayPublish: false });
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const path = `/admin/review/${model}/${documentId}`;

  const load = useCallback(() => {
    get<{ data: State; meta: { mayUpdate: boolean; mayPublish: boolean } }>(path, {
      params: { locale },
    }).then(
      ({ data }) => {
        setState(data.data);
        setRights(data.meta);
      },
      () => setState(null),
    );
  }, [get, locale, path]);
  useEffect(load, [load, version]);

  const move = async (stage: Stage) => {
    setBusy(true);
    try {
      await put(`${path}?locale=${encodeURIComponent(locale)}`, { stage, ...(comment ? { comment } : {}) });
      setComment('');
      toggleNotification({
        type: 'success',
        message: intl.formatMessage(
          { id: 'inter-actions.review.moved', defaultMessage: texts.moved },
          { stage: texts.stage[stage] },
        ),
      });
      load();
    } catch {
      toggleNotification({ type: 'danger', message: texts.refused });
    } finally {
      setBusy(false);
    }
  };

  if (!state) return null;
  return (
    <Flex direction="column" alignItems="stretch" gap={2} width="100%">
      <Flex gap={2}>
        <Badge data-stage={state.stage}>{texts.stage[state.stage]}</Badge>
      </Flex>
      {state.comment && (
        <Typography variant="pi" textColor="neutral600">
          « {state.comment} »
        </Typography>
      )}
      {(rights.mayUpdate || rights.mayPublish) && (
        <Field.Root name="review-comment" hint={texts.commentHint}>
          <Field.Label>{texts.comment}</Field.Label>
          <Textarea
            value={comment}
            onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => setComment(event.target.value)}
          />
          <Field.Hint />
        </Field.Root>
      )}
      {rights.mayUpdate && state.stage !== 'review' && (
        <Button variant="secondary" fullWidth loading={busy} onClick={() => move('review')}>
          {texts.submit}
        </Button>
      )}
      {rights.mayPublish && state.stage === 'review' && (
        <Box>
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Button variant="success-light" fullWidth loading={busy} onClick={() => move('approved')}>
              {texts.approve}
            </Button>
            <Button variant="danger-light" fullWidth loading={busy} onClick={() => move('draft')}>
              {texts.sendBack}
            </Button>
          </Flex>
        </Box>
      )}
    </Flex>
  );
}

/** The panel, for the types with a review, once the entry exists. */
export function ReviewPanel(props: {
  model: string;
  documentId?: string;
  document?: { locale?: string | null; updatedAt?: string | null; publishedAt?: string | null } | null;
}) {
  const intl = useIntl();
  const language = (['fr', 'de', 'en'].includes(intl.locale) ? intl.locale : 'fr') as Language;
  if (!isHistoryUid(props.model)) return null;
  const locale =
    props.document?.locale ??
    new URLSearchParams(window.location.search).get('plugins[i18n][locale]') ??
    'fr';
  return {
    title: TEXTS[language].title,
    content: props.documentId ? (
      // A save or a publish may move the stage: read again after each (a comment being typed stays).
      <ReviewContent
        key={locale}
        version={`${props.document?.updatedAt ?? ''}|${props.document?.publishedAt ?? ''}`}
        model={props.model}
        documentId={props.documentId}
        locale={locale}
      />
    ) : (
      <Typography variant="pi" textColor="neutral600">
        {TEXTS[language].unsaved}
      </Typography>
    ),
  };
}
