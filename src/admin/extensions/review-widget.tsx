/**
 * The home page's « Relecture » widget (the admin's `widgets.register`): « À relire » lists the
 * entries waiting for review to who may approve them (Communication, super administrators);
 * « Renvoyé » lists the author's entries sent back to « En cours » with a comment. Each row opens
 * the entry's edit view in its locale. Read from GET /admin/review (src/review/routes.ts), which
 * keeps to the entries the user may read.
 */
import { useEffect, useState } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useAuth, useFetchClient, Widget } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';

interface Entry {
  uid: string;
  documentId: string;
  locale: string;
  title: string | null;
  comment: string | null;
  submittedBy: number | null;
  updatedBy: number | null;
  updatedAt: string;
}

const TEXTS = {
  fr: { toReview: 'À relire', sentBack: 'Renvoyé', nothing: 'Rien à relire ni de renvoyé.' },
  de: {
    toReview: 'Zur Durchsicht',
    sentBack: 'Zurückgesendet',
    nothing: 'Nichts zur Durchsicht, nichts zurückgesendet.',
  },
  en: { toReview: 'To review', sentBack: 'Sent back', nothing: 'Nothing to review or sent back.' },
};
const REVIEWERS = ['communication', 'strapi-super-admin'];
const MAX_ROWS = 8;

const editPath = (entry: Entry) =>
  entry.uid === 'api::organisation.organisation'
    ? `/content-manager/single-types/${entry.uid}?plugins[i18n][locale]=${entry.locale}`
    : `/content-manager/collection-types/${entry.uid}/${entry.documentId}?plugins[i18n][locale]=${entry.locale}`;

function Rows({ heading, entries }: { heading: string; entries: Entry[] }) {
  if (entries.length === 0) return null;
  return (
    <Box>
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        {heading} ({entries.length})
      </Typography>
      <Flex tag="ul" direction="column" alignItems="stretch" gap={1} marginTop={1}>
        {entries.slice(0, MAX_ROWS).map((entry) => (
          <li key={`${entry.uid}|${entry.documentId}|${entry.locale}`}>
            <Link to={editPath(entry)}>
              <Typography textColor="primary600">
                {entry.title ?? entry.documentId} ({entry.locale})
              </Typography>
            </Link>
            {entry.comment && (
              <Typography variant="pi" textColor="neutral600" tag="p">
                « {entry.comment} »
              </Typography>
            )}
          </li>
        ))}
      </Flex>
    </Box>
  );
}

export function ReviewWidget() {
  const intl = useIntl();
  const texts = TEXTS[(['fr', 'de', 'en'].includes(intl.locale) ? intl.locale : 'fr') as 'fr'];
  const user = useAuth('ReviewWidget', (state) => state.user) as
    { id: number; roles?: { code: string }[] } | undefined;
  const { get } = useFetchClient();
  const [lists, setLists] = useState<{ toReview: Entry[]; sentBack: Entry[] } | null | 'error'>(null);
  const reviewer = Boolean(user?.roles?.some((role) => REVIEWERS.includes(role.code)));

  useEffect(() => {
    if (!user) return;
    Promise.all([
      reviewer
        ? get<{ data: Entry[] }>('/admin/review', { params: { stage: 'review' } }).then(
            ({ data }) => data.data,
          )
        : Promise.resolve([]),
      get<{ data: Entry[] }>('/admin/review', { params: { stage: 'draft', mine: 'true' } }).then(({ data }) =>
        // Sent back: the user's submission, back « En cours » by someone else, with a comment.
        data.data.filter(
          (entry) => entry.submittedBy === user.id && entry.updatedBy !== user.id && entry.comment,
        ),
      ),
    ]).then(
      ([toReview, sentBack]) => setLists({ toReview, sentBack }),
      () => setLists('error'),
    );
  }, [get, reviewer, user]);

  if (lists === null) return <Widget.Loading />;
  if (lists === 'error') return <Widget.Error />;
  if (lists.toReview.length === 0 && lists.sentBack.length === 0)
    return <Widget.NoData>{texts.nothing}</Widget.NoData>;
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Rows heading={texts.toReview} entries={lists.toReview} />
      <Rows heading={texts.sentBack} entries={lists.sentBack} />
    </Flex>
  );
}
