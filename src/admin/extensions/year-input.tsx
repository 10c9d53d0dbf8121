/**
 * Years as written (2013), not as numbers formatted for the panel's language (« 2 013 » in French,
 * « 2.013 » in German). The Content Manager renders a field with the input its library holds for
 * the field's type (`app.addFields`, Strapi's public field library): for `integer`, this one. The
 * year fields (`foundedYear`, `closedYear`: every integer whose name ends in `Year`) get a plain
 * numeric input; every other integer, Strapi's own input, unchanged.
 */
import type { ReactNode } from 'react';
import { Field, TextInput } from '@strapi/design-system';
import { InputRenderer, useField } from '@strapi/strapi/admin';

interface Props {
  name: string;
  label?: ReactNode;
  labelAction?: ReactNode;
  hint?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  type: string;
}

export const isYearField = (name: string) => /Year$/.test(name.split('.').pop() ?? '');

export function IntegerInput(props: Props) {
  const field = useField<number | null>(props.name);
  if (!isYearField(props.name)) return <InputRenderer {...(props as Parameters<typeof InputRenderer>[0])} />;
  return (
    <Field.Root name={props.name} required={props.required} error={field.error} hint={props.hint}>
      <Field.Label action={props.labelAction}>{props.label}</Field.Label>
      <TextInput
        name={props.name}
        inputMode="numeric"
        autoComplete="off"
        maxLength={4}
        disabled={props.disabled}
        placeholder={props.placeholder}
        value={field.value === null || field.value === undefined ? '' : String(field.value)}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
          const digits = event.target.value.replace(/\D/g, '');
          field.onChange(props.name, digits === '' ? null : Number(digits));
        }}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
}
