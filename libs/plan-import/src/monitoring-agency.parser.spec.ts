import { AgencyAliasResolver } from './agency-alias.resolver';
import { findMonitoringAgency } from './monitoring-agency.parser';
import { reflowParagraphs } from './paragraph-reflow.util';

const find = (text: string) => findMonitoringAgency(reflowParagraphs(text.split('\n')), new AgencyAliasResolver());

describe(findMonitoringAgency.name, () => {
  it.each([
    ['3. Sở Kế hoạch và Đầu tư làm đầu mối theo dõi, tổng hợp tình hình thực hiện Kế hoạch.', 'Sở Kế hoạch và Đầu tư'],
    ['Các cơ quan gửi báo cáo về Văn phòng Ủy ban nhân dân tỉnh để tổng hợp, báo cáo.', 'Văn phòng Ủy ban nhân dân tỉnh'],
    ['1. Giao Sở Tư pháp chủ trì, phối hợp với các sở\n\na) Theo dõi, đôn đốc, tổng hợp tình hình thực hiện.', 'Sở Tư pháp'],
    ['Định kỳ các đơn vị báo cáo gửi Sở Kế hoạch và Đầu tư, đồng gửi Văn phòng UBND tỉnh để theo dõi.', 'Sở Kế hoạch và Đầu tư'],
  ])('does find the agency in %j when the plan names who follows it', (text, agency) => {
    expect(find(text)).toBe(agency);
  });

  it('does prefer "làm đầu mối theo dõi" when several wordings appear', () => {
    expect(find('1. Các sở gửi báo cáo về Văn phòng UBND tỉnh để tổng hợp.\n\n2. Sở Nội vụ làm đầu mối theo dõi việc thực hiện.')).toBe(
      'Sở Nội vụ',
    );
  });

  it('does return null when no agency is named as the focal point', () => {
    expect(find('Các sở tổ chức thực hiện Kế hoạch này.')).toBeNull();
  });
});
